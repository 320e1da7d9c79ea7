package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes strategic merge patch as kustomize applies it: mappings merge, {@code null} deletes, {@code $patch:
 * delete|replace} directives; lists of pod specs merge by Kubernetes' merge keys (containers, initContainers,
 * volumes, env and imagePullSecrets by name, volumeMounts by mountPath, container ports by containerPort,
 * Service ports by port); other lists whose items all carry one of kustomize's associative keys merge by it;
 * any other list is replaced.
 */
final class StrategicMergePatch {
    private StrategicMergePatch() {}

    private static final String DIRECTIVE = "$patch";

    /** Merge keys by field name where Kubernetes' API declares them. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name", "initContainers", "name", "ephemeralContainers", "name", "volumes", "name",
            "env", "name", "imagePullSecrets", "name", "volumeMounts", "mountPath", "volumeDevices", "devicePath",
            "hostAliases", "ip");

    /** kustomize's fallback for lists without a declared key (kyaml's associative sequence keys). */
    private static final List<String> ASSOCIATIVE_KEYS = List.of("mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort");

    /** Fields declared atomic: always replaced. */
    private static final List<String> ATOMIC = List.of("tolerations", "args", "command", "envFrom", "finalizers");

    /** True when the patch asks for the whole object to be deleted. */
    static boolean deletesObject(ObjectNode patch) {
        return "delete".equals(patch.path(DIRECTIVE).asText());
    }

    static void apply(ObjectNode target, ObjectNode patch) {
        ObjectNode copy = patch.deepCopy();
        copy.remove("apiVersion");
        copy.remove("kind");
        JsonNode metadata = copy.get("metadata");
        if (metadata instanceof ObjectNode m) {
            m.remove("name");
            m.remove("namespace");
        }
        mergeMap(target, copy, KubeObjects.kind(target));
    }

    private static void mergeMap(ObjectNode target, ObjectNode patch, String kind) {
        if ("replace".equals(patch.path(DIRECTIVE).asText())) {
            target.removeAll();
            patch.fields().forEachRemaining(e -> {
                if (!e.getKey().equals(DIRECTIVE)) {
                    target.set(e.getKey(), clean(e.getValue()));
                }
            });
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            JsonNode value = e.getValue();
            if (field.equals(DIRECTIVE) || field.startsWith("$setElementOrder/") || field.startsWith("$retainKeys")) {
                continue;
            }
            JsonNode existing = target.get(field);
            if (value.isNull()) {
                target.remove(field);
            } else if (value instanceof ObjectNode patchMap && "delete".equals(patchMap.path(DIRECTIVE).asText())) {
                target.remove(field);
            } else if (value instanceof ObjectNode patchMap && existing instanceof ObjectNode targetMap) {
                mergeMap(targetMap, patchMap, kind);
            } else if (value instanceof ArrayNode patchList && existing instanceof ArrayNode targetList) {
                target.set(field, mergeList(field, targetList, patchList, kind));
            } else {
                target.set(field, clean(value));
            }
        }
    }

    private static ArrayNode mergeList(String field, ArrayNode target, ArrayNode patch, String kind) {
        String key = mergeKey(field, target, patch, kind);
        if (key == null) {
            ArrayNode replaced = patch.arrayNode();
            patch.forEach(item -> {
                if (!(item instanceof ObjectNode m && m.has(DIRECTIVE))) {
                    replaced.add(clean(item));
                }
            });
            return replaced;
        }
        // Kubernetes' order without $setElementOrder: the patch's items first, then the target's other items.
        ArrayNode result = patch.arrayNode();
        List<JsonNode> remaining = new ArrayList<>();
        target.forEach(remaining::add);
        for (JsonNode item : patch) {
            if (!(item instanceof ObjectNode patchItem)) {
                continue;
            }
            int index = indexOf(remaining, key, patchItem.get(key));
            JsonNode existing = index >= 0 ? remaining.remove(index) : null;
            String directive = patchItem.path(DIRECTIVE).asText();
            if (directive.equals("delete")) {
                continue;
            }
            if (existing instanceof ObjectNode existingMap && !directive.equals("replace")) {
                ObjectNode merged = existingMap.deepCopy();
                mergeMap(merged, patchItem, kind);
                result.add(merged);
            } else {
                result.add(clean(patchItem));
            }
        }
        remaining.forEach(result::add);
        return result;
    }

    private static String mergeKey(String field, ArrayNode target, ArrayNode patch, String kind) {
        if (ATOMIC.contains(field)) {
            return null;
        }
        if (field.equals("ports")) {
            return kind.equals("Service") ? "port" : "containerPort";
        }
        String declared = MERGE_KEYS.get(field);
        if (declared != null) {
            return declared;
        }
        for (String candidate : ASSOCIATIVE_KEYS) {
            if (allHave(target, candidate) && allHave(patch, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean allHave(ArrayNode list, String key) {
        if (list.isEmpty()) {
            return false;
        }
        for (JsonNode item : list) {
            if (!(item instanceof ObjectNode m) || !(m.has(key) || m.has(DIRECTIVE))) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(List<JsonNode> list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i).get(key);
            if (v != null && value != null && v.asText().equals(value.asText())) {
                return i;
            }
        }
        return -1;
    }

    /** A copy without patch directives or null-valued fields (which mean "delete" and have nothing to delete). */
    private static JsonNode clean(JsonNode node) {
        if (node instanceof ObjectNode map) {
            ObjectNode copy = map.objectNode();
            map.fields().forEachRemaining(e -> {
                if (!e.getKey().startsWith("$") && !e.getValue().isNull()) {
                    copy.set(e.getKey(), clean(e.getValue()));
                }
            });
            return copy;
        }
        if (node instanceof ArrayNode list) {
            ArrayNode copy = list.arrayNode();
            list.forEach(item -> copy.add(clean(item)));
            return copy;
        }
        return node;
    }
}
