package io.chatbotctl.runbook;

import io.chatbotctl.kube.PodFacts;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;

/** How to read the service's objects (their names: {@link RunContext#names}). */
final class Workload {
    private Workload() {}

    /** The service's pods: those with its app label (chatbotctl.yaml {@code names.appLabel}). */
    static List<Pod> pods(RunContext context, String onlyPod) {
        List<Pod> pods = context.client.pods().inNamespace(context.namespace)
                .withLabel(context.names.appLabelKey(), context.names.appLabelValue()).list().getItems();
        return onlyPod == null ? pods : pods.stream().filter(p -> p.getMetadata().getName().equals(onlyPod)).toList();
    }

    static long readyCount(List<Pod> pods) {
        return pods.stream().filter(PodFacts::ready).count();
    }

    static List<ContainerStatus> containerStatuses(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of()
                : pod.getStatus().getContainerStatuses();
    }

    static List<ContainerStatus> initStatuses(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null ? List.of()
                : pod.getStatus().getInitContainerStatuses();
    }

    /** The serving container: the one named {@code vllm}, else the first. */
    static String servingContainer(Pod pod) {
        return pod.getSpec().getContainers().stream().map(c -> c.getName()).filter("vllm"::equals).findFirst()
                .orElse(pod.getSpec().getContainers().get(0).getName());
    }

    static boolean evicted(Pod pod) {
        return pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase())
                && "Evicted".equals(pod.getStatus().getReason());
    }
}
