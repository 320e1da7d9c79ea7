package io.chatbotctl.runbook;

import io.chatbotctl.kube.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;

import java.util.List;
import java.util.Map;

/** Marks nodes unschedulable, like {@code kubectl cordon}. */
final class CordonAction implements Action {

    @Override
    public Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected) {
        List<String> nodes = NodeTargets.of(context, selected).stream().filter(n -> {
            Node node = context.client.nodes().withName(n).get();
            return node != null && !NodeFacts.cordoned(node);
        }).toList();
        if (nodes.isEmpty()) {
            return Proposal.nothingToDo("the node is already cordoned");
        }
        return Proposal.of("cordon node " + String.join(", ", nodes),
                nodes.stream().map(n -> "kubectl cordon " + n).toList(), null, () -> {
                    nodes.forEach(n -> cordon(context, n));
                    return Proposal.Outcome.done("cordoned " + String.join(", ", nodes));
                });
    }

    static void cordon(RunContext context, String node) {
        context.client.nodes().withName(node).edit(n -> { n.getSpec().setUnschedulable(true); return n; });
    }
}
