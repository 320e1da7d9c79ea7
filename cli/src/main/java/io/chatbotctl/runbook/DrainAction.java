package io.chatbotctl.runbook;

import io.chatbotctl.kube.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cordons the node and evicts the vllm-chatbot pods on it through the eviction API, so PodDisruptionBudgets are
 * respected (the API server answers 429 instead of evicting). Never the last Ready pod without --force.
 */
final class DrainAction implements Action {

    @Override
    public Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected) {
        Set<String> nodes = NodeTargets.of(context, selected);
        List<Pod> all = Workload.pods(context, null);
        List<Pod> onNodes = all.stream().filter(p -> nodes.contains(p.getSpec().getNodeName()) && !Workload.evicted(p)
                && p.getMetadata().getDeletionTimestamp() == null).toList();
        if (onNodes.isEmpty()) {
            return Proposal.nothingToDo("no vllm-chatbot pod left on " + String.join(", ", nodes));
        }
        List<String> names = onNodes.stream().map(p -> p.getMetadata().getName()).toList();
        String description = "evict " + String.join(", ", names) + " from " + String.join(", ", nodes);
        long readyLeft = Workload.readyCount(all) - Workload.readyCount(onNodes);
        if (Workload.readyCount(onNodes) > 0 && readyLeft < 1 && !context.options.force()) {
            return Proposal.refused(description, "it would evict the last Ready pod and take the service down;"
                    + " wait for a replacement to be Ready or rerun with --force");
        }
        String warning = pdbWarning(context);
        List<String> commands = new ArrayList<>();
        nodes.forEach(n -> commands.add("kubectl drain " + n + " --ignore-daemonsets --delete-emptydir-data --pod-selector="
                + context.names.appLabel()));
        return Proposal.of(description, commands, warning, () -> drain(context, nodes, names));
    }

    private static Proposal.Outcome drain(RunContext context, Set<String> nodes, List<String> pods) {
        List<String> lines = new ArrayList<>();
        for (String n : nodes) {
            Node node = context.client.nodes().withName(n).get();
            if (node != null && !NodeFacts.cordoned(node)) {
                CordonAction.cordon(context, n);
                lines.add("cordoned " + n);
            }
        }
        boolean complete = true;
        for (String pod : pods) {
            boolean evicted = context.client.pods().inNamespace(context.namespace).withName(pod).evict();
            if (evicted) {
                lines.add("evicted " + pod);
            } else {
                complete = false;
                lines.add("eviction of " + pod + " refused (429): its PodDisruptionBudget allows no disruption now;"
                        + " retry once another replica is Ready");
            }
        }
        return new Proposal.Outcome(complete, lines);
    }

    private static String pdbWarning(RunContext context) {
        List<PodDisruptionBudget> pdbs = Pdbs.forService(context);
        if (pdbs.isEmpty()) {
            return "no PodDisruptionBudget protects vllm-chatbot: every pod on the node goes at once";
        }
        return pdbs.stream().filter(p -> Pdbs.disruptionsAllowed(p) == 0).findFirst()
                .map(p -> "PodDisruptionBudget " + p.getMetadata().getName()
                        + " allows no disruption now: evictions will be refused until another replica is Ready")
                .orElse(null);
    }
}
