package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Classifies every vllm-chatbot pod: Pending for GPUs, model-loader failures, image pulls, OOMKilled, crash loops,
 * and what the logs and events say (CUDA OOM, no memory for cache blocks, Xid, startup probe while loading).
 */
final class PodCheck implements Check {

    @Override
    public List<Finding> run(RunContext context, Map<String, Object> params) {
        List<Pod> pods = Workload.pods(context, context.options.pod());
        List<Finding> findings = new ArrayList<>();
        if (pods.isEmpty()) {
            String which = context.options.pod() == null ? "no pod labelled " + context.names.appLabel()
                    : "no vllm-chatbot pod named " + context.options.pod();
            findings.add(Finding.problem("no-pods", "deployment", context.names.deployment(),
                    which + " in namespace " + context.namespace, null));
            return findings;
        }
        List<Event> events = Events.inNamespace(context);
        for (Pod pod : pods) {
            if (Workload.evicted(pod)) {
                findings.add(Finding.info("evicted", "pod", name(pod), "evicted: " + pod.getStatus().getMessage()));
                continue;
            }
            classify(context, pod, Events.of(events, "Pod", name(pod)), findings);
        }
        List<Pod> live = pods.stream().filter(p -> !Workload.evicted(p)).toList();
        findings.add(Finding.info("ready-pods", "deployment", context.names.deployment(),
                Workload.readyCount(live) + " of " + live.size() + " pods ready"));
        return findings;
    }

    private void classify(RunContext context, Pod pod, List<Event> events, List<Finding> findings) {
        unschedulable(pod).ifPresent(findings::add);
        initContainers(context, pod, findings);
        for (ContainerStatus status : Workload.containerStatuses(pod)) {
            servingContainer(context, pod, status, events, findings);
        }
    }

    private static Optional<Finding> unschedulable(Pod pod) {
        if (!"Pending".equals(pod.getStatus().getPhase()) || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                String message = c.getMessage() == null ? "" : c.getMessage();
                String code = message.contains("nvidia.com/gpu") ? "pending-gpu" : "unschedulable";
                String what = code.equals("pending-gpu") ? "Pending: no node has a free nvidia.com/gpu" : "Pending: cannot be scheduled";
                return Optional.of(Finding.problem(code, "pod", name(pod), what, message));
            }
        }
        return Optional.empty();
    }

    private static void initContainers(RunContext context, Pod pod, List<Finding> findings) {
        for (ContainerStatus status : Workload.initStatuses(pod)) {
            boolean failing = Containers.waitingReason(status).map(r -> r.equals("CrashLoopBackOff") || r.equals("Error"))
                    .orElse(false) || Containers.failedExit(status);
            if (!failing) {
                continue;
            }
            String log = Containers.log(context, pod, status);
            Optional<String> s3 = LogPatterns.firstMatch(log, LogPatterns.S3_ERROR);
            if (s3.isPresent()) {
                findings.add(Finding.problem("model-loader-s3", "pod", name(pod),
                        "initContainer " + status.getName() + " cannot read the model from S3", s3.get()));
            } else {
                findings.add(Finding.problem("init-failed", "pod", name(pod),
                        "initContainer " + status.getName() + " fails (restarts " + status.getRestartCount() + ")",
                        lastLine(log)));
            }
        }
    }

    private static void servingContainer(RunContext context, Pod pod, ContainerStatus status, List<Event> events,
                                         List<Finding> findings) {
        String pod1 = name(pod);
        Optional<String> waiting = Containers.waitingReason(status);
        if (waiting.filter(r -> r.equals("ImagePullBackOff") || r.equals("ErrImagePull") || r.equals("InvalidImageName")).isPresent()) {
            findings.add(Finding.problem("image-pull", "pod", pod1, waiting.get() + " for image " + status.getImage(),
                    status.getState().getWaiting().getMessage()));
            return;
        }
        if (Containers.oomKilled(status)) {
            findings.add(Finding.problem("oom-killed", "pod", pod1,
                    "container " + status.getName() + " was OOMKilled (exit 137, memory limit)", "restarts: " + status.getRestartCount()));
        }
        if (waiting.filter("CrashLoopBackOff"::equals).isPresent()) {
            findings.add(Finding.problem("crash-loop", "pod", pod1, "CrashLoopBackOff after " + status.getRestartCount()
                    + " restarts", Containers.lastExit(status)));
        }
        if (Boolean.TRUE.equals(status.getReady())) {
            return;
        }
        String log = Containers.log(context, pod, status);
        LogPatterns.SERVING.forEach((code, pattern) -> LogPatterns.firstMatch(log, pattern).ifPresent(line ->
                findings.add(Finding.problem(code, "pod", pod1, describe(code), line))));
        events.stream().map(Event::getMessage).filter(m -> m != null && m.contains("Xid"))
                .filter(m -> findings.stream().noneMatch(f -> f.code().equals("xid-error") && f.name().equals(pod1)))
                .findFirst().ifPresent(m -> findings.add(Finding.problem("xid-error", "pod", pod1, describe("xid-error"), m)));
        events.stream().filter(e -> "Unhealthy".equals(e.getReason()) && e.getMessage() != null
                        && e.getMessage().startsWith("Startup probe failed")).findFirst()
                .ifPresent(e -> findings.add(Finding.problem("startup-probe", "pod", pod1,
                        "startup probe failing" + LogPatterns.firstMatch(log, LogPatterns.MODEL_LOADING)
                                .map(l -> " while the model is still loading").orElse("")
                                + " (" + Optional.ofNullable(e.getCount()).orElse(1) + " times)", e.getMessage())));
    }

    private static String describe(String code) {
        return switch (code) {
            case "cuda-oom" -> "CUDA out of memory in the logs";
            case "cache-blocks" -> "no GPU memory left for the KV cache blocks";
            case "xid-error" -> "NVIDIA Xid error: the GPU or its driver failed";
            default -> code;
        };
    }

    private static String lastLine(String log) {
        List<String> lines = LogPatterns.lines(log);
        return lines.isEmpty() ? null : lines.get(lines.size() - 1).strip();
    }

    private static String name(Pod pod) {
        return pod.getMetadata().getName();
    }
}
