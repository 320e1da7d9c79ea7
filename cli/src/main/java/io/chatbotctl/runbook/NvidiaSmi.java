package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code nvidia-smi} through exec in the vLLM container of the selected pod (a crashed container cannot be
 * exec'd into: then in another running pod on the same node, else the command to run by hand).
 */
final class NvidiaSmi implements Show {
    static final long TIMEOUT_SECONDS = 15;

    @Override
    public List<String> show(RunContext context, Map<String, Object> params, List<Finding> selected) {
        List<String> out = new ArrayList<>();
        for (String name : Shows.pods(context, selected)) {
            Pod pod = Shows.pod(context, name);
            if (pod == null) {
                continue;
            }
            Pod target = running(pod) ? pod : sameNodeRunning(context, pod);
            String manual = "kubectl -n " + context.namespace + " exec " + name + " -c " + Workload.servingContainer(pod) + " -- nvidia-smi";
            if (target == null) {
                out.add("(" + name + " is not running, and no running vllm-chatbot pod shares its node: run `"
                        + manual + "` once it runs, or `kubectl debug node/" + pod.getSpec().getNodeName() + "` with a CUDA image)");
                continue;
            }
            String container = Workload.servingContainer(target);
            out.add("$ kubectl -n " + context.namespace + " exec " + target.getMetadata().getName() + " -c " + container + " -- nvidia-smi");
            out.addAll(exec(context, target.getMetadata().getName(), container, manual));
        }
        return out;
    }

    private static List<String> exec(RunContext context, String pod, String container, String manual) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (ExecWatch watch = context.client.pods().inNamespace(context.namespace).withName(pod).inContainer(container)
                .writingOutput(stdout).writingError(stderr).exec("nvidia-smi")) {
            Integer code = watch.exitCode().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> lines = new ArrayList<>(LogPatterns.lines(stdout.toString(StandardCharsets.UTF_8)));
            lines.addAll(LogPatterns.lines(stderr.toString(StandardCharsets.UTF_8)));
            if (code != null && code != 0) {
                lines.add("(nvidia-smi exited with " + code + ")");
            }
            return lines;
        } catch (KubernetesClientException | ExecutionException | TimeoutException e) {
            return List.of("(exec failed: " + e.getMessage() + "; run `" + manual + "` by hand)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("(interrupted)");
        }
    }

    private static boolean running(Pod pod) {
        return Workload.containerStatuses(pod).stream().anyMatch(s -> s.getState() != null && s.getState().getRunning() != null);
    }

    private static Pod sameNodeRunning(RunContext context, Pod pod) {
        String node = pod.getSpec().getNodeName();
        return node == null ? null : Workload.pods(context, null).stream()
                .filter(p -> node.equals(p.getSpec().getNodeName()) && running(p)).findFirst().orElse(null);
    }
}
