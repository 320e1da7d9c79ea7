package io.chatbotctl.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One pod as an operator of a model server reads it: which stage of a vLLM start it is in (scheduling, syncing the
 * model in the init container, loading it behind the startup probe, ready) and, when it fails, why.
 *
 * @param name      pod name
 * @param node      node it runs on, or "" when not scheduled
 * @param gpus      GPUs it requests ({@code nvidia.com/gpu} limits of its containers)
 * @param phase     the pod's phase (Pending, Running, ...)
 * @param stage     {@code pending}, {@code syncing model}, {@code loading model}, {@code not ready}, {@code ready}, {@code failing}, {@code terminating}
 * @param ready     whether the pod is Ready
 * @param restarts  restarts of its containers
 * @param problem   why it fails ({@code ImagePullBackOff: ...}, {@code CrashLoopBackOff, last exit OOMKilled (137)}), or null
 * @param createdAt creation time, or null
 */
public record PodState(String name, String node, int gpus, String phase, String stage, boolean ready, int restarts,
                       String problem, Instant createdAt) {

    private static final Set<String> FAILING_REASONS = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "ErrImageNeverPull");
    public static final String GPU_RESOURCE = "nvidia.com/gpu";

    public static PodState of(Pod pod) {
        var status = pod.getStatus();
        String phase = status == null || status.getPhase() == null ? "Pending" : status.getPhase();
        List<ContainerStatus> init = status == null || status.getInitContainerStatuses() == null ? List.of() : status.getInitContainerStatuses();
        List<ContainerStatus> main = status == null || status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
        int restarts = 0;
        for (ContainerStatus c : init) {
            restarts += c.getRestartCount() == null ? 0 : c.getRestartCount();
        }
        for (ContainerStatus c : main) {
            restarts += c.getRestartCount() == null ? 0 : c.getRestartCount();
        }
        boolean ready = condition(pod, "Ready");
        String problem = problem(init, "init container ");
        if (problem == null) {
            problem = problem(main, "");
        }
        if (problem == null && !ready) {
            problem = unschedulable(pod);
        }
        String stage;
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            stage = "terminating";
        } else if (problem != null) {
            stage = "failing";
        } else if (ready) {
            stage = "ready";
        } else if (init.stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null)) {
            stage = "syncing model";
        } else if (main.stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null
                && !Boolean.TRUE.equals(c.getStarted()))) {
            stage = "loading model";
        } else if (main.stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null)) {
            stage = "not ready";
        } else {
            stage = "pending";
        }
        String created = pod.getMetadata().getCreationTimestamp();
        Instant createdAt = null;
        try {
            createdAt = created == null ? null : Instant.parse(created);
        } catch (RuntimeException ignored) {
            // an unparsable timestamp shows as unknown age
        }
        String node = pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
        return new PodState(pod.getMetadata().getName(), node, gpus(pod), phase, stage, ready, restarts, problem, createdAt);
    }

    private static String problem(List<ContainerStatus> statuses, String prefix) {
        for (ContainerStatus c : statuses) {
            ContainerStateWaiting waiting = c.getState() == null ? null : c.getState().getWaiting();
            ContainerStateTerminated last = c.getLastState() == null ? null : c.getLastState().getTerminated();
            ContainerStateTerminated now = c.getState() == null ? null : c.getState().getTerminated();
            if (waiting != null && FAILING_REASONS.contains(waiting.getReason())) {
                StringBuilder sb = new StringBuilder(prefix).append(c.getName()).append(": ").append(waiting.getReason());
                if (last != null && last.getReason() != null) {
                    sb.append(", last exit ").append(last.getReason()).append(" (code ").append(last.getExitCode()).append(')');
                } else if (waiting.getMessage() != null) {
                    sb.append(" (").append(waiting.getMessage()).append(')');
                }
                if (c.getRestartCount() != null && c.getRestartCount() > 0) {
                    sb.append(", ").append(c.getRestartCount()).append(" restarts");
                }
                return sb.toString();
            }
            if (now != null && now.getExitCode() != null && now.getExitCode() != 0) {
                return prefix + c.getName() + ": terminated " + now.getReason() + " (code " + now.getExitCode() + ")";
            }
        }
        return null;
    }

    private static String unschedulable(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())) {
                return "Unschedulable: " + c.getMessage();
            }
        }
        return null;
    }

    private static boolean condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static int gpus(Pod pod) {
        int total = 0;
        if (pod.getSpec() == null) {
            return 0;
        }
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getResources() != null && c.getResources().getLimits() != null) {
                Quantity q = c.getResources().getLimits().get(GPU_RESOURCE);
                if (q != null) {
                    total += q.getNumericalAmount().intValue();
                }
            }
        }
        return total;
    }
}
