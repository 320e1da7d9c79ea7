package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The nodes a node action works on: {@code --node}, else the selected nodes, else the nodes of the selected pods. */
final class NodeTargets {
    private NodeTargets() {}

    static Set<String> of(RunContext context, List<Finding> selected) {
        Set<String> nodes = new LinkedHashSet<>();
        if (context.options.node() != null) {
            nodes.add(context.options.node());
            return nodes;
        }
        selected.stream().filter(f -> f.kind().equals("node")).forEach(f -> nodes.add(f.name()));
        for (Finding f : selected) {
            if (f.kind().equals("pod")) {
                Pod pod = Shows.pod(context, f.name());
                if (pod != null && pod.getSpec().getNodeName() != null) {
                    nodes.add(pod.getSpec().getNodeName());
                }
            }
        }
        return nodes;
    }
}
