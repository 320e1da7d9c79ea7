package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.BiConsumer;

/**
 * A kustomize field spec: a slash-separated path into objects of one kind (any kind when null), optionally
 * created when absent. Sequences on the way are entered element by element, as kustomize does.
 *
 * @param kind   the object kind, or null for every kind
 * @param group  the API group ({@code ""} for the core group), or null for any group
 * @param path   e.g. {@code spec/template/spec/containers/env/valueFrom/configMapKeyRef/name}
 * @param create create missing mappings on the way (never sequences)
 */
record FieldSpec(String kind, String group, String path, boolean create) {

    static FieldSpec any(String path, boolean create) {
        return new FieldSpec(null, null, path, create);
    }

    static FieldSpec of(String kind, String path, boolean create) {
        return new FieldSpec(kind, null, path, create);
    }

    static FieldSpec of(String kind, String group, String path, boolean create) {
        return new FieldSpec(kind, group, path, create);
    }

    boolean appliesTo(JsonNode object) {
        return (kind == null || kind.equals(KubeObjects.kind(object)))
                && (group == null || group.equals(KubeObjects.group(object)));
    }

    /** Calls {@code visit(parent, fieldName)} for every place the path's last field is (or, with create, may be). */
    void visit(ObjectNode object, BiConsumer<ObjectNode, String> visit) {
        if (appliesTo(object)) {
            walk(object, path.replace("[]", "").split("/"), 0, visit);
        }
    }

    private void walk(JsonNode node, String[] parts, int i, BiConsumer<ObjectNode, String> visit) {
        if (node instanceof ArrayNode array) {
            array.forEach(element -> walk(element, parts, i, visit));
            return;
        }
        if (!(node instanceof ObjectNode map)) {
            return;
        }
        String field = parts[i];
        if (i == parts.length - 1) {
            if (map.has(field) || create) {
                visit.accept(map, field);
            }
            return;
        }
        JsonNode child = map.get(field);
        if ((child == null || child.isNull()) && create) {
            child = map.putObject(field);
        }
        if (child != null) {
            walk(child, parts, i + 1, visit);
        }
    }
}
