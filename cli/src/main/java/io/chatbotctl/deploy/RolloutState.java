package io.chatbotctl.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * Where a Deployment's rollout stands, decided exactly as {@code kubectl rollout status} does: the controller must
 * have observed the current generation; a Progressing condition with reason ProgressDeadlineExceeded is a failure;
 * otherwise it is complete when all desired replicas are updated, no old replicas remain and all updated replicas are
 * available.
 *
 * @param phase   progressing, complete or failed
 * @param message kubectl's wording, e.g. {@code 1 of 2 updated replicas are available}
 */
public record RolloutState(Phase phase, String message) {
    public enum Phase { PROGRESSING, COMPLETE, FAILED }

    public static RolloutState of(Deployment d) {
        String name = d.getMetadata().getName();
        DeploymentStatus status = d.getStatus();
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        if (status == null || status.getObservedGeneration() == null || generation > status.getObservedGeneration()) {
            return new RolloutState(Phase.PROGRESSING, "waiting for deployment \"" + name + "\" spec update to be observed");
        }
        if (status.getConditions() != null) {
            for (DeploymentCondition c : status.getConditions()) {
                if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                    return new RolloutState(Phase.FAILED, "deployment \"" + name + "\" exceeded its progress deadline");
                }
            }
        }
        int updated = value(status.getUpdatedReplicas());
        int replicas = value(status.getReplicas());
        int available = value(status.getAvailableReplicas());
        Integer desired = d.getSpec().getReplicas();
        if (desired != null && updated < desired) {
            return new RolloutState(Phase.PROGRESSING, updated + " out of " + desired + " new replicas have been updated");
        }
        if (replicas > updated) {
            return new RolloutState(Phase.PROGRESSING, (replicas - updated) + " old replicas are pending termination");
        }
        if (available < updated) {
            return new RolloutState(Phase.PROGRESSING, available + " of " + updated + " updated replicas are available");
        }
        return new RolloutState(Phase.COMPLETE, "deployment \"" + name + "\" successfully rolled out");
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }
}
