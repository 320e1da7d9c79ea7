package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

/** Reading the service's HPA and Deployment replicas. */
final class Hpas {
    private Hpas() {}

    /** @param current the replicas now (the HPA's status, else the Deployment's spec) */
    record Bounds(int min, int max, int current, int desired) {
    }

    static HorizontalPodAutoscaler get(RunContext context) {
        return context.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(context.namespace)
                .withName(context.names.hpa()).get();
    }

    static Bounds bounds(HorizontalPodAutoscaler hpa) {
        int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
        int max = hpa.getSpec().getMaxReplicas();
        int current = hpa.getStatus() == null || hpa.getStatus().getCurrentReplicas() == null ? min
                : hpa.getStatus().getCurrentReplicas();
        int desired = hpa.getStatus() == null || hpa.getStatus().getDesiredReplicas() == null ? current
                : hpa.getStatus().getDesiredReplicas();
        return new Bounds(min, max, current, desired);
    }

    static Deployment deployment(RunContext context) {
        return context.client.apps().deployments().inNamespace(context.namespace).withName(context.names.deployment()).get();
    }

    static int replicas(Deployment deployment) {
        return deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    }
}
