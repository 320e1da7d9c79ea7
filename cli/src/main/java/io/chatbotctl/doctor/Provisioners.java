package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.kube.ClusterAutoscalerStatus;
import io.chatbotctl.kube.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.TaintBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What can create a node for the pod when none has room: a Karpenter (or EKS Auto Mode) NodePool whose requirements
 * and taints admit the pod (karpenter.sh/v1 NodePool: {@code spec.template.spec.requirements}, {@code .taints},
 * {@code spec.template.metadata.labels}, {@code spec.limits}, {@code status.resources}, condition {@code Ready};
 * karpenter.sh/docs/concepts/nodepools), or a Cluster Autoscaler node group below its maximum (its status
 * ConfigMap, {@link ClusterAutoscalerStatus}). A node group's instance type lives in its ASG's tags, which the cluster
 * does not show: a node group is matched through the admitted nodes' {@code eks.amazonaws.com/nodegroup} label, and
 * without such a node the autoscaler is reported as possible but not certain.
 */
final class Provisioners {
    static final String NODEPOOL_GROUP = "karpenter.sh";
    static final String NODEPOOL_VERSION = "v1";
    /** The label EKS managed node groups put on their nodes. */
    static final String NODEGROUP_LABEL = "eks.amazonaws.com/nodegroup";
    /** Labels Karpenter sets from the instance it launches, so a NodePool need not name them to satisfy a selector. */
    static final Set<String> WELL_KNOWN = Set.of("node.kubernetes.io/instance-type", "topology.kubernetes.io/zone",
            "topology.kubernetes.io/region", "kubernetes.io/arch", "kubernetes.io/os", "karpenter.sh/capacity-type",
            "karpenter.k8s.aws/instance-family", "karpenter.k8s.aws/instance-category", "karpenter.k8s.aws/instance-gpu-name",
            "karpenter.k8s.aws/instance-gpu-count", "karpenter.k8s.aws/instance-size", "karpenter.sh/nodepool");

    /**
     * @param kind     {@code NodePool}, {@code EKS Auto Mode NodePool} or {@code Cluster Autoscaler}
     * @param certain  it is known to make nodes the pod admits (false: an autoscaler whose groups cannot be seen)
     */
    record Provisioner(String kind, String name, boolean certain, String evidence) {
        String describe() {
            return kind + " " + name + " (" + evidence + ")";
        }
    }

    private Provisioners() {}

    /** The NodePools (empty when Karpenter's API is not installed). */
    static List<JsonNode> nodePools(DoctorContext context) {
        return context.list(NODEPOOL_GROUP, NODEPOOL_VERSION, "NodePool", "nodepools", null, false).orElse(List.of());
    }

    static List<Provisioner> forPod(DoctorContext context, JsonNode podSpec, List<Node> admitted) {
        List<Provisioner> found = new ArrayList<>();
        for (JsonNode pool : nodePools(context)) {
            String refusal = refusal(pool, podSpec);
            if (refusal == null) {
                String kind = autoMode(pool) ? "EKS Auto Mode NodePool" : "NodePool";
                found.add(new Provisioner(kind, pool.path("metadata").path("name").asText(), true, poolEvidence(pool)));
            }
        }
        ClusterAutoscalerStatus.read(context.client()).ifPresent(status -> {
            Set<String> groups = new java.util.TreeSet<>();
            admitted.forEach(n -> {
                String g = NodeFacts.labels(n).get(NODEGROUP_LABEL);
                if (g != null) {
                    groups.add(g);
                }
            });
            boolean matched = false;
            for (ClusterAutoscalerStatus.NodeGroup g : status.nodeGroups()) {
                if (groups.stream().anyMatch(name -> g.name().contains(name))) {
                    matched = true;
                    if (g.canGrow()) {
                        found.add(new Provisioner("Cluster Autoscaler node group", g.name(), true, g.health() + ", "
                                + g.registered() + " registered, max " + g.maxSize()));
                    }
                }
            }
            if (!matched && !status.nodeGroups().isEmpty()) {
                found.add(new Provisioner("Cluster Autoscaler", ClusterAutoscalerStatus.NAMESPACE + "/" + ClusterAutoscalerStatus.NAME,
                        false, "node groups " + status.nodeGroups().stream().map(ClusterAutoscalerStatus.NodeGroup::name).toList()
                        + "; which instance type each makes is in its ASG tags, not in the cluster"));
            }
        });
        return found;
    }

    /** EKS Auto Mode's NodePools reference an {@code eks.amazonaws.com} NodeClass. */
    static boolean autoMode(JsonNode pool) {
        return pool.path("spec").path("template").path("spec").path("nodeClassRef").path("group").asText().equals("eks.amazonaws.com");
    }

    private static String poolEvidence(JsonNode pool) {
        JsonNode limit = pool.path("spec").path("limits").path(NodeFacts.GPU);
        JsonNode used = pool.path("status").path("resources").path(NodeFacts.GPU);
        return "requirements admit the pod" + (limit.isMissingNode() ? "" : ", GPUs " + used.asText("0") + " of limit " + limit.asText());
    }

    /** Why the NodePool cannot make a node this pod admits, or null. */
    static String refusal(JsonNode pool, JsonNode podSpec) {
        JsonNode template = pool.path("spec").path("template");
        for (JsonNode c : pool.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText()) && !"True".equals(c.path("status").asText())) {
                return "not Ready: " + c.path("message").asText(c.path("reason").asText());
            }
        }
        JsonNode limit = pool.path("spec").path("limits").path(NodeFacts.GPU);
        if (!limit.isMissingNode() && pool.path("status").path("resources").path(NodeFacts.GPU).asLong(0) >= limit.asLong()) {
            return "at its nvidia.com/gpu limit " + limit.asText();
        }
        Map<String, JsonNode> requirements = new HashMap<>();
        template.path("spec").path("requirements").forEach(r -> requirements.put(r.path("key").asText(), r));
        JsonNode labels = template.path("metadata").path("labels");
        var selector = podSpec.path("nodeSelector").fields();
        while (selector.hasNext()) {
            var e = selector.next();
            String why = admits(e.getKey(), List.of(e.getValue().asText()), requirements, labels);
            if (why != null) {
                return why;
            }
        }
        JsonNode terms = podSpec.path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")
                .path("nodeSelectorTerms");
        String why = null;
        for (JsonNode term : terms) {
            why = termRefusal(term, requirements, labels);
            if (why == null) {
                break;
            }
        }
        if (why != null) {
            return why;
        }
        for (JsonNode t : template.path("spec").path("taints")) {
            var taint = new TaintBuilder().withKey(t.path("key").asText()).withValue(t.path("value").asText(null))
                    .withEffect(t.path("effect").asText()).build();
            if (!"PreferNoSchedule".equals(taint.getEffect()) && !Scheduling.tolerated(podSpec.path("tolerations"), taint)) {
                return "its nodes are tainted " + taint.getKey() + ":" + taint.getEffect() + ", which the pod does not tolerate";
            }
        }
        return null;
    }

    private static String termRefusal(JsonNode term, Map<String, JsonNode> requirements, JsonNode labels) {
        for (JsonNode expr : term.path("matchExpressions")) {
            if ("In".equals(expr.path("operator").asText())) {
                List<String> values = new ArrayList<>();
                expr.path("values").forEach(v -> values.add(v.asText()));
                String why = admits(expr.path("key").asText(), values, requirements, labels);
                if (why != null) {
                    return why;
                }
            }
        }
        return null;
    }

    /** Whether a node of the pool can carry {@code key} with one of {@code values}; null when it can. */
    private static String admits(String key, List<String> values, Map<String, JsonNode> requirements, JsonNode labels) {
        if (labels.has(key)) {
            return values.contains(labels.path(key).asText()) ? null : "labels " + key + "=" + labels.path(key).asText();
        }
        JsonNode r = requirements.get(key);
        if (r == null) {
            return WELL_KNOWN.contains(key) ? null : "no requirement or label " + key;
        }
        boolean any = false;
        for (String value : values) {
            any |= Scheduling.matches(r, Map.of(key, value));
        }
        return any ? null : "requirement " + key + " " + r.path("operator").asText() + " " + r.path("values");
    }
}
