package io.chatbotctl.deploy;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

/**
 * What {@code scale} changed.
 *
 * @param environment      environment name
 * @param namespace        namespace
 * @param deployment       Deployment name
 * @param previousReplicas spec.replicas before
 * @param replicas         spec.replicas now
 * @param hpaMinReplicas   the HPA's lower bound, or null without an HPA
 * @param hpaMaxReplicas   the HPA's upper bound, or null without an HPA
 * @param forced           whether {@code --force} allowed a value outside those bounds
 * @param note             what happens next, e.g. that the HPA will scale back
 */
public record ScaleResult(String environment, String namespace, String deployment, int previousReplicas, int replicas,
                          Integer hpaMinReplicas, Integer hpaMaxReplicas, boolean forced, String note) implements Tabular {
    @Override
    public Table toTable() {
        Table.Builder table = Table.of("DEPLOYMENT", "FROM", "TO", "HPA BOUNDS");
        table.row(deployment, previousReplicas, replicas, hpaMinReplicas == null ? "-" : hpaMinReplicas + "-" + hpaMaxReplicas);
        if (note != null) {
            table.note(note);
        }
        return table.build();
    }
}
