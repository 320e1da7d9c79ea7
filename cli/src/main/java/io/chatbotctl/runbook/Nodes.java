package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Node facts: interruption taints, readiness and capacity type (spot or on-demand). */
final class Nodes {
    /** Taint keys the AWS Node Termination Handler sets (TAINT_NODE=true), and the autoscalers' equivalents. */
    static final Set<String> INTERRUPTION_TAINTS = Set.of(
            "aws-node-termination-handler/spot-itn",
            "aws-node-termination-handler/rebalance-recommendation",
            "aws-node-termination-handler/scheduled-maintenance",
            "aws-node-termination-handler/asg-lifecycle-termination",
            "ToBeDeletedByClusterAutoscaler",
            "karpenter.sh/disrupted");

    private Nodes() {}

    static List<Node> all(RunContext context) {
        if (context.options.node() != null) {
            Node node = context.client.nodes().withName(context.options.node()).get();
            return node == null ? List.of() : List.of(node);
        }
        return context.client.nodes().list().getItems();
    }

    static Optional<Taint> interruptionTaint(Node node) {
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        return taints.stream().filter(t -> INTERRUPTION_TAINTS.contains(t.getKey())).findFirst();
    }

    static boolean ready(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean cordoned(Node node) {
        return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }

    /** {@code spot}, {@code on-demand} or {@code unknown}, from EKS managed node groups', Karpenter's or kops' label. */
    static String capacityType(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        String value = labels.getOrDefault("eks.amazonaws.com/capacityType",
                labels.getOrDefault("karpenter.sh/capacity-type", labels.getOrDefault("node.kubernetes.io/lifecycle", "")));
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "spot" -> "spot";
            case "on_demand", "on-demand", "normal", "ondemand" -> "on-demand";
            default -> "unknown";
        };
    }

    /** Going away: tainted for interruption or removal, or NotReady. */
    static boolean affected(Node node) {
        return interruptionTaint(node).isPresent() || !ready(node);
    }
}
