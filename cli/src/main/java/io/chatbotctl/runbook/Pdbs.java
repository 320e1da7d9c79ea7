package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.List;
import java.util.Map;

/** The PodDisruptionBudgets that select the service's pods. */
final class Pdbs {
    private Pdbs() {}

    static List<PodDisruptionBudget> forService(RunContext context) {
        return context.client.policy().v1().podDisruptionBudget().inNamespace(context.namespace).list().getItems()
                .stream().filter(pdb -> selectsService(context, pdb)).toList();
    }

    static int disruptionsAllowed(PodDisruptionBudget pdb) {
        return pdb.getStatus() == null || pdb.getStatus().getDisruptionsAllowed() == null ? 0
                : pdb.getStatus().getDisruptionsAllowed();
    }

    private static boolean selectsService(RunContext context, PodDisruptionBudget pdb) {
        if (pdb.getSpec() == null || pdb.getSpec().getSelector() == null) {
            return false;
        }
        Map<String, String> labels = pdb.getSpec().getSelector().getMatchLabels();
        return labels != null && context.names.appLabelValue().equals(labels.get(context.names.appLabelKey()));
    }
}
