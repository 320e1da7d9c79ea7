package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;

import java.util.Optional;

/** Reading a container's state and logs. */
final class Containers {
    static final int LOG_LINES = 200;

    private Containers() {}

    static Optional<String> waitingReason(ContainerStatus status) {
        return Optional.ofNullable(status.getState()).map(s -> s.getWaiting()).map(w -> w.getReason());
    }

    static boolean oomKilled(ContainerStatus status) {
        return "OOMKilled".equals(terminated(status).map(ContainerStateTerminated::getReason).orElse(null));
    }

    static boolean failedExit(ContainerStatus status) {
        return terminated(status).map(t -> t.getExitCode() != null && t.getExitCode() != 0).orElse(false);
    }

    static String lastExit(ContainerStatus status) {
        return terminated(status).map(t -> "last exit code " + t.getExitCode()
                + (t.getReason() == null ? "" : " (" + t.getReason() + ")")).orElse(null);
    }

    /** The current termination, else the last one. */
    private static Optional<ContainerStateTerminated> terminated(ContainerStatus status) {
        if (status.getState() != null && status.getState().getTerminated() != null) {
            return Optional.of(status.getState().getTerminated());
        }
        return Optional.ofNullable(status.getLastState()).map(s -> s.getTerminated());
    }

    /** The log of the run that failed: the previous one after a restart, else the current one. Empty when none. */
    static String log(RunContext context, Pod pod, ContainerStatus status) {
        boolean previous = status.getRestartCount() != null && status.getRestartCount() > 0
                && (status.getState() == null || status.getState().getTerminated() == null);
        return log(context, pod.getMetadata().getName(), status.getName(), previous, LOG_LINES);
    }

    static String log(RunContext context, String pod, String container, boolean previous, int lines) {
        PodResource resource = context.client.pods().inNamespace(context.namespace).withName(pod);
        try {
            var logs = resource.inContainer(container);
            String text = previous ? logs.terminated().tailingLines(lines).getLog()
                    : logs.tailingLines(lines).getLog();
            return text == null ? "" : text;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 400 || e.getCode() == 404) {
                return "";
            }
            throw e;
        }
    }
}
