package io.chatbotctl.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The canary's part of the HTTPRoute, as edits of the route's JSON. Every rule that sends to the stable Service gets
 * the canary Service beside it in {@code backendRefs} (weights {@code 100 − w} and {@code w}), and two rules in front
 * of it with the same matches plus the canary header: {@code always} to the canary only, {@code never} to stable
 * only. Gateway API gives a rule with more header matches precedence, so the header reaches its track at any weight.
 * The header's name is kept in the annotation {@link #HEADER_ANNOTATION}, so the rules can be found and removed.
 */
final class RouteWeights {
    static final String HEADER_ANNOTATION = "chatbotctl.io/canary-header";

    private RouteWeights() {}

    /** Whether some rule sends to the stable Service. */
    static boolean routesToStable(CanaryNames names, JsonNode route) {
        for (JsonNode rule : route.path("spec").path("rules")) {
            if (ref(rule, names.stableService()) != null) {
                return true;
            }
        }
        return false;
    }

    static ObjectNode withCanary(CanaryNames names, ObjectNode route, String header, int weight) {
        ObjectNode copy = withoutCanary(names, route);
        JsonNode original = copy.path("spec").path("rules").deepCopy();
        copy.with("metadata").with("annotations").put(HEADER_ANNOTATION, header);
        ArrayNode rules = copy.with("spec").putArray("rules");
        for (JsonNode rule : original) {
            ObjectNode stable = ref(rule, names.stableService());
            if (stable == null) {
                continue;
            }
            rules.add(headerRule((ObjectNode) rule, header, CanaryNames.CANARY_ONLY, names.canaryService(), stable));
            rules.add(headerRule((ObjectNode) rule, header, CanaryNames.STABLE_ONLY, names.stableService(), stable));
        }
        for (JsonNode rule : original) {
            ObjectNode weighted = ((ObjectNode) rule).deepCopy();
            ObjectNode stable = ref(weighted, names.stableService());
            if (stable != null && ref(weighted, names.canaryService()) == null) {
                ObjectNode canary = ((ArrayNode) weighted.get("backendRefs")).addObject();
                canary.put("name", names.canaryService());
                if (stable.has("port")) {
                    canary.set("port", stable.get("port"));
                }
            }
            rules.add(weighted);
        }
        return withWeight(names, copy, weight);
    }

    /** The weights set to {@code 100 − weight} (stable) and {@code weight} (canary) in every weighted rule. */
    static ObjectNode withWeight(CanaryNames names, ObjectNode route, int weight) {
        ObjectNode copy = route.deepCopy();
        for (JsonNode rule : copy.path("spec").path("rules")) {
            ObjectNode stable = ref(rule, names.stableService());
            ObjectNode canary = ref(rule, names.canaryService());
            if (stable != null && canary != null) {
                stable.put("weight", 100 - weight);
                canary.put("weight", weight);
            }
        }
        return copy;
    }

    /** The canary's share in percent of the first weighted rule, or null when no rule sends to the canary by weight. */
    static Integer weight(CanaryNames names, JsonNode route) {
        for (JsonNode rule : route.path("spec").path("rules")) {
            ObjectNode stable = ref(rule, names.stableService());
            ObjectNode canary = ref(rule, names.canaryService());
            if (stable != null && canary != null) {
                int s = stable.path("weight").asInt(1);
                int c = canary.path("weight").asInt(1);
                return s + c == 0 ? 0 : (int) Math.round(100.0 * c / (s + c));
            }
        }
        return null;
    }

    /** The canary header's name on this route, or null when the canary is not on it. */
    static String header(JsonNode route) {
        JsonNode h = route.path("metadata").path("annotations").path(HEADER_ANNOTATION);
        return h.isTextual() ? h.asText() : null;
    }

    /** The route without the canary: header rules and canary backendRefs removed, stable's weight as rendered. */
    static ObjectNode withoutCanary(CanaryNames names, ObjectNode route) {
        ObjectNode copy = route.deepCopy();
        String header = header(route);
        if (copy.path("metadata").path("annotations") instanceof ObjectNode annotations) {
            annotations.remove(HEADER_ANNOTATION);
        }
        ArrayNode rules = copy.with("spec").putArray("rules");
        for (JsonNode rule : route.path("spec").path("rules")) {
            if (header != null && canaryRule(rule, header)) {
                continue;
            }
            ObjectNode kept = ((ObjectNode) rule).deepCopy();
            if (kept.get("backendRefs") instanceof ArrayNode refs && ref(kept, names.canaryService()) != null) {
                for (int i = refs.size() - 1; i >= 0; i--) {
                    if (names.canaryService().equals(refs.get(i).path("name").asText())) {
                        refs.remove(i);
                    }
                }
                ObjectNode stable = ref(kept, names.stableService());
                if (stable != null) {
                    stable.remove("weight");
                }
            }
            rules.add(kept);
        }
        return copy;
    }

    private static ObjectNode headerRule(ObjectNode rule, String header, String value, String service, ObjectNode stableRef) {
        ObjectNode copy = rule.deepCopy();
        ArrayNode matches = copy.get("matches") instanceof ArrayNode m && !m.isEmpty() ? m : copy.putArray("matches");
        if (matches.isEmpty()) {
            matches.addObject().putObject("path").put("type", "PathPrefix").put("value", "/");
        }
        for (JsonNode match : matches) {
            ArrayNode headers = ((ObjectNode) match).withArray("headers");
            headers.addObject().put("type", "Exact").put("name", header).put("value", value);
        }
        ArrayNode refs = copy.putArray("backendRefs");
        ObjectNode target = refs.addObject();
        target.put("name", service);
        if (stableRef.has("port")) {
            target.set("port", stableRef.get("port"));
        }
        return copy;
    }

    private static boolean canaryRule(JsonNode rule, String header) {
        for (JsonNode match : rule.path("matches")) {
            for (JsonNode h : match.path("headers")) {
                if (header.equalsIgnoreCase(h.path("name").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ObjectNode ref(JsonNode rule, String service) {
        for (JsonNode ref : rule.path("backendRefs")) {
            String kind = ref.path("kind").asText("Service");
            if (service.equals(ref.path("name").asText()) && "Service".equals(kind) && ref instanceof ObjectNode o) {
                return o;
            }
        }
        return null;
    }
}
