package io.chatbotctl.deploy;

import io.chatbotctl.core.Durations;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An environment at a glance: the Deployment's rollout, its pods, the HPA and the deployed release.
 *
 * @param environment       environment name
 * @param namespace         namespace
 * @param deployment        Deployment name
 * @param image             image of its pod template
 * @param rolloutPhase      {@code PROGRESSING}, {@code COMPLETE} or {@code FAILED} ({@link RolloutState})
 * @param rollout           kubectl's wording of the rollout state
 * @param desiredReplicas   spec.replicas (1 when unset)
 * @param updatedReplicas   replicas running the current template
 * @param readyReplicas     ready replicas
 * @param availableReplicas available replicas
 * @param hpa               its autoscaler, or null
 * @param release           the deployed release, or null when none is recorded
 * @param pods              its pods
 */
public record StatusResult(String environment, String namespace, String deployment, String image, String rolloutPhase,
                           String rollout, int desiredReplicas, int updatedReplicas, int readyReplicas, int availableReplicas,
                           HpaState hpa, Release release, List<PodState> pods) implements Tabular {
    @Override
    public Table toTable() {
        Table.Builder table = Table.of("POD", "NODE", "GPU", "PHASE", "STAGE", "READY", "RESTARTS", "AGE");
        Instant now = Instant.now();
        for (PodState p : pods) {
            String age = p.createdAt() == null ? "-" : Durations.format(Duration.between(p.createdAt(), now).withNanos(0));
            table.row(p.name(), p.node(), p.gpus(), p.phase(), p.stage(), p.ready() ? "yes" : "no", p.restarts(), age);
        }
        table.note("");
        table.note("deployment " + deployment + " (" + image + "): " + rollout + "; " + readyReplicas + "/" + desiredReplicas
                + " ready, " + updatedReplicas + " updated, " + availableReplicas + " available");
        for (PodState p : pods) {
            if (p.problem() != null) {
                table.note("  " + p.name() + ": " + p.problem());
            }
        }
        if (hpa != null) {
            table.note("hpa " + hpa.name() + ": " + hpa.currentReplicas() + " current / " + hpa.desiredReplicas() + " desired (bounds "
                    + hpa.minReplicas() + "-" + hpa.maxReplicas() + "), " + hpa.metric() + " " + hpa.currentValue() + " / target " + hpa.targetValue());
        } else {
            table.note("hpa: none targets " + deployment);
        }
        table.note(release == null ? "release: none recorded (not deployed with chatbotctl)"
                : "release v" + release.version() + " " + release.status() + " " + release.deployedAt() + " (" + release.image()
                + ", commit " + release.gitCommit() + ")");
        return table.build();
    }
}
