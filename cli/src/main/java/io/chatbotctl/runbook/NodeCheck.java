package io.chatbotctl.runbook;

import io.chatbotctl.kube.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Nodes tainted by the Node Termination Handler (or an autoscaler about to remove them), cordoned or NotReady. */
final class NodeCheck implements Check {

    @Override
    public List<Finding> run(RunContext context, Map<String, Object> params) {
        List<Node> nodes = Nodes.all(context);
        List<Finding> findings = new ArrayList<>();
        if (nodes.isEmpty() && context.options.node() != null) {
            findings.add(Finding.problem("no-node", "node", context.options.node(), "no such node", null));
            return findings;
        }
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            String type = NodeFacts.capacityType(node);
            var taint = NodeFacts.interruptionTaint(node);
            if (taint.isPresent()) {
                Taint t = taint.get();
                findings.add(Finding.problem("spot-interruption", "node", name, type + " node tainted " + t.getKey()
                        + ":" + t.getEffect() + " - it is going away", t.getKey() + "=" + t.getValue() + ":" + t.getEffect()));
            }
            if (!NodeFacts.ready(node)) {
                findings.add(Finding.problem("not-ready", "node", name, type + " node is NotReady", null));
            }
            if (NodeFacts.cordoned(node)) {
                findings.add(Finding.info("cordoned", "node", name, type + " node is cordoned (unschedulable)"));
            }
        }
        long healthy = nodes.stream().filter(n -> NodeFacts.ready(n) && !NodeFacts.cordoned(n) && NodeFacts.interruptionTaint(n).isEmpty()).count();
        findings.add(Finding.info("nodes", "cluster", "nodes", healthy + " of " + nodes.size() + " nodes schedulable and Ready"));
        return findings;
    }
}
