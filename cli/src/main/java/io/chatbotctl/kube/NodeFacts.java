package io.chatbotctl.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a Node says about itself, read the same way by {@code doctor} (GPU capacity, spot) and the runbooks (nodes
 * going away): readiness, cordon, capacity type, interruption taints and allocatable GPUs.
 */
public final class NodeFacts {
    /** The extended resource the NVIDIA device plugin advertises. */
    public static final String GPU = "nvidia.com/gpu";

    /** Taint keys the AWS Node Termination Handler sets (TAINT_NODE=true), and the autoscalers' equivalents. */
    public static final Set<String> INTERRUPTION_TAINTS = Set.of(
            "aws-node-termination-handler/spot-itn",
            "aws-node-termination-handler/rebalance-recommendation",
            "aws-node-termination-handler/scheduled-maintenance",
            "aws-node-termination-handler/asg-lifecycle-termination",
            "ToBeDeletedByClusterAutoscaler",
            "karpenter.sh/disrupted");

    /** Labels that carry a node's capacity type: EKS managed node groups', Karpenter's, kops'. */
    public static final List<String> CAPACITY_TYPE_LABELS = List.of(
            "eks.amazonaws.com/capacityType", "karpenter.sh/capacity-type", "node.kubernetes.io/lifecycle");

    private NodeFacts() {}

    public static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }

    public static List<Taint> taints(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    }

    public static Optional<Taint> interruptionTaint(Node node) {
        return taints(node).stream().filter(t -> INTERRUPTION_TAINTS.contains(t.getKey())).findFirst();
    }

    public static boolean ready(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    public static boolean cordoned(Node node) {
        return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }

    /** {@code spot}, {@code on-demand} or {@code unknown}, from {@link #CAPACITY_TYPE_LABELS}. */
    public static String capacityType(Node node) {
        Map<String, String> labels = labels(node);
        String value = "";
        for (String label : CAPACITY_TYPE_LABELS) {
            if (labels.containsKey(label)) {
                value = labels.get(label);
                break;
            }
        }
        return capacityType(value);
    }

    /** {@code SPOT}, {@code spot} → spot; {@code ON_DEMAND}, {@code on-demand}, {@code normal} → on-demand. */
    public static String capacityType(String labelValue) {
        return switch (labelValue == null ? "" : labelValue.toLowerCase(Locale.ROOT)) {
            case "spot" -> "spot";
            case "on_demand", "on-demand", "normal", "ondemand" -> "on-demand";
            default -> "unknown";
        };
    }

    /** Allocatable {@code nvidia.com/gpu}: 0 when the device plugin advertises none. */
    public static long allocatableGpus(Node node) {
        Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Map.of() : node.getStatus().getAllocatable();
        Quantity q = allocatable.get(GPU);
        return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
    }

    /** Ready, not cordoned and not tainted for interruption: the scheduler may place new pods here. */
    public static boolean schedulable(Node node) {
        return ready(node) && !cordoned(node) && interruptionTaint(node).isEmpty();
    }
}
