package io.chatbotctl.runbook;

import io.chatbotctl.kube.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;

import java.util.List;

/** The nodes a runbook looks at; what a node says about itself is {@link NodeFacts} (shared with doctor). */
final class Nodes {
    private Nodes() {}

    static List<Node> all(RunContext context) {
        if (context.options.node() != null) {
            Node node = context.client.nodes().withName(context.options.node()).get();
            return node == null ? List.of() : List.of(node);
        }
        return context.client.nodes().list().getItems();
    }

    /** Going away: tainted for interruption or removal, or NotReady. */
    static boolean affected(Node node) {
        return NodeFacts.interruptionTaint(node).isPresent() || !NodeFacts.ready(node);
    }
}
