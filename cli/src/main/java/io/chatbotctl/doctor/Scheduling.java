package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.kube.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a pod template may be placed on a node, as the scheduler's NodeAffinity and TaintToleration filters decide
 * (kubernetes.io "Assigning Pods to Nodes", "Taints and Tolerations"): every {@code nodeSelector} label matches, one
 * of the required {@code nodeSelectorTerms} matches (its expressions ANDed), and every NoSchedule/NoExecute taint is
 * tolerated. Preferences (preferred affinity, PreferNoSchedule) do not exclude a node.
 */
final class Scheduling {
    private Scheduling() {}

    /** Why the pod cannot go there, or null when it can. */
    static String refusal(JsonNode podSpec, Node node) {
        Map<String, String> labels = NodeFacts.labels(node);
        var selector = podSpec.path("nodeSelector").fields();
        while (selector.hasNext()) {
            var e = selector.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return "nodeSelector " + e.getKey() + "=" + e.getValue().asText() + " (node has " + labels.get(e.getKey()) + ")";
            }
        }
        JsonNode terms = podSpec.path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        if (terms.isArray() && !terms.isEmpty()) {
            boolean any = false;
            for (JsonNode term : terms) {
                any |= matchesAll(term.path("matchExpressions"), labels);
            }
            if (!any) {
                return "required node affinity";
            }
        }
        for (Taint taint : NodeFacts.taints(node)) {
            if (("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()))
                    && !tolerated(podSpec.path("tolerations"), taint)) {
                return "taint " + taint.getKey() + (taint.getValue() == null ? "" : "=" + taint.getValue()) + ":" + taint.getEffect();
            }
        }
        return null;
    }

    static boolean matchesAll(JsonNode expressions, Map<String, String> labels) {
        for (JsonNode e : expressions) {
            if (!matches(e, labels)) {
                return false;
            }
        }
        return true;
    }

    /** One node selector requirement: In, NotIn, Exists, DoesNotExist, Gt, Lt. */
    static boolean matches(JsonNode expression, Map<String, String> labels) {
        String value = labels.get(expression.path("key").asText());
        List<String> values = new ArrayList<>();
        expression.path("values").forEach(v -> values.add(v.asText()));
        return switch (expression.path("operator").asText()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> value != null && !values.isEmpty() && number(value) > number(values.get(0));
            case "Lt" -> value != null && !values.isEmpty() && number(value) < number(values.get(0));
            default -> false;
        };
    }

    static boolean tolerated(JsonNode tolerations, Taint taint) {
        for (JsonNode t : tolerations) {
            String key = t.path("key").asText("");
            String effect = t.path("effect").asText("");
            boolean keyMatches = key.isEmpty() || key.equals(taint.getKey());
            boolean effectMatches = effect.isEmpty() || effect.equals(taint.getEffect());
            boolean valueMatches = "Exists".equals(t.path("operator").asText("Equal"))
                    || t.path("value").asText("").equals(taint.getValue() == null ? "" : taint.getValue());
            if (keyMatches && effectMatches && valueMatches && (!key.isEmpty() || "Exists".equals(t.path("operator").asText()))) {
                return true;
            }
        }
        return false;
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
