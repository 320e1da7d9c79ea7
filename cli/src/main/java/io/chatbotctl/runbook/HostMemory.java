package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where an OOMKilled container's host memory went: its memory limit against its usage (metrics.k8s.io), a
 * memory-backed {@code /dev/shm} (tmpfs pages count against the limit), the CPU offload settings of vLLM
 * ({@code --cpu-offload-gb}, {@code --swap-space}, in args or vllm-config), and the node's allocatable memory.
 */
final class HostMemory implements Show {
    static final List<String> OFFLOAD_FLAGS = List.of("--cpu-offload-gb", "--swap-space");
    static final List<String> OFFLOAD_KEYS = List.of("CPU_OFFLOAD_GB", "SWAP_SPACE");

    @Override
    public List<String> show(RunContext context, Map<String, Object> params, List<Finding> selected) {
        List<String> out = new ArrayList<>();
        ConfigMap config = ConfigMaps.serving(context);
        for (String name : Shows.pods(context, selected)) {
            Pod pod = Shows.pod(context, name);
            if (pod == null) {
                continue;
            }
            Container c = serving(pod);
            out.add("$ kubectl -n " + context.namespace + " get pod " + name + " -o jsonpath='{.spec.containers[?(@.name==\""
                    + c.getName() + "\")].resources}'");
            out.add("memory request " + text(quantity(c, false)) + ", limit " + text(quantity(c, true)));
            out.add(usage(context, name, c.getName()));
            out.add(shm(pod));
            out.addAll(offload(c, config));
            allocatable(context, pod.getSpec().getNodeName())
                    .ifPresent(bytes -> out.add("node " + pod.getSpec().getNodeName() + " allocatable memory " + gib(bytes)));
        }
        return out;
    }

    static Container serving(Pod pod) {
        String name = Workload.servingContainer(pod);
        return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    static Quantity quantity(Container c, boolean limit) {
        if (c.getResources() == null) {
            return null;
        }
        Map<String, Quantity> values = limit ? c.getResources().getLimits() : c.getResources().getRequests();
        return values == null ? null : values.get("memory");
    }

    private static String text(Quantity q) {
        return q == null ? "(none)" : q.toString() + " (" + gib(Quantity.getAmountInBytes(q)) + ")";
    }

    static String gib(BigDecimal bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes.doubleValue() / (1L << 30));
    }

    private static String usage(RunContext context, String pod, String container) {
        try {
            var metrics = context.client.top().pods().metrics(context.namespace, pod);
            return metrics.getContainers().stream().filter(m -> m.getName().equals(container)).findFirst()
                    .map(m -> "memory usage now " + gib(Quantity.getAmountInBytes(m.getUsage().get("memory"))) + " (metrics.k8s.io)")
                    .orElse("memory usage: no metrics for container " + container + " (it is not running)");
        } catch (KubernetesClientException e) {
            return "memory usage: metrics.k8s.io did not answer (" + e.getCode() + "); `kubectl top pod " + pod
                    + " --containers` needs metrics-server";
        }
    }

    private static String shm(Pod pod) {
        Container c = serving(pod);
        String volume = c.getVolumeMounts() == null ? null : c.getVolumeMounts().stream()
                .filter(m -> "/dev/shm".equals(m.getMountPath())).map(m -> m.getName()).findFirst().orElse(null);
        Volume v = volume == null || pod.getSpec().getVolumes() == null ? null
                : pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals(volume)).findFirst().orElse(null);
        if (v == null || v.getEmptyDir() == null || !"Memory".equals(v.getEmptyDir().getMedium())) {
            return "/dev/shm: not memory-backed (the runtime's 64 MiB)";
        }
        Quantity size = v.getEmptyDir().getSizeLimit();
        return "/dev/shm: emptyDir medium Memory, sizeLimit " + (size == null ? "none (up to the memory limit)" : size)
                + "; what is written there counts against the container's memory limit";
    }

    private static List<String> offload(Container c, ConfigMap config) {
        List<String> out = new ArrayList<>();
        for (String arg : c.getArgs() == null ? List.<String>of() : c.getArgs()) {
            OFFLOAD_FLAGS.stream().filter(arg::startsWith).findFirst().ifPresent(f -> out.add("vLLM arg " + arg + " (host memory)"));
        }
        Map<String, String> data = config == null || config.getData() == null ? Map.of() : config.getData();
        OFFLOAD_KEYS.stream().filter(data::containsKey)
                .forEach(k -> out.add(config.getMetadata().getName() + " " + k + "=" + data.get(k) + " (GiB of host memory)"));
        if (out.isEmpty()) {
            out.add("CPU offload: none (no --cpu-offload-gb or --swap-space, no CPU_OFFLOAD_GB or SWAP_SPACE in the serving settings)");
        }
        return out;
    }

    static java.util.Optional<BigDecimal> allocatable(RunContext context, String node) {
        if (node == null) {
            return java.util.Optional.empty();
        }
        Node n = context.client.nodes().withName(node).get();
        if (n == null || n.getStatus() == null || n.getStatus().getAllocatable() == null
                || n.getStatus().getAllocatable().get("memory") == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Quantity.getAmountInBytes(n.getStatus().getAllocatable().get("memory")));
    }
}
