package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** A kustomization.yaml (or a Component), read and checked against the fields this renderer supports. */
record Kustomization(Path dir, Path file, ObjectNode root) {

    static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    static final Set<String> SUPPORTED_FIELDS = Set.of(
            "apiVersion", "kind", "metadata", "resources", "components", "namespace", "namePrefix", "nameSuffix",
            "labels", "commonLabels", "commonAnnotations", "images", "replicas", "patches", "patchesStrategicMerge",
            "patchesJson6902", "configMapGenerator", "secretGenerator", "generatorOptions");

    static boolean isKustomizationDir(Path dir) {
        return Files.isDirectory(dir) && FILE_NAMES.stream().anyMatch(n -> Files.isRegularFile(dir.resolve(n)));
    }

    static Kustomization load(Path dir, boolean component) {
        Path file = FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new InvalidInputException("no kustomization.yaml in " + dir,
                        "point --dir at a directory holding a kustomization.yaml"));
        ObjectNode root = ManifestYaml.readObjects(file).stream().findFirst()
                .orElseThrow(() -> new InvalidInputException(file + " is empty"));
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!SUPPORTED_FIELDS.contains(field)) {
                throw new InvalidInputException(file + ": kustomization field '" + field + "' is not supported by chatbotctl render",
                        "supported fields: " + String.join(", ", new java.util.TreeSet<>(SUPPORTED_FIELDS)));
            }
        }
        String kind = root.path("kind").asText("Kustomization");
        if (component && !kind.equals("Component")) {
            throw new InvalidInputException(file + ": listed under components but its kind is " + kind + ", not Component");
        }
        if (!component && kind.equals("Component")) {
            throw new InvalidInputException(file + ": a Component cannot be listed under resources", "list it under components");
        }
        return new Kustomization(dir, file, root);
    }

    String text(String field) {
        JsonNode value = root.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A list field; an error naming the field when it is not a list. */
    List<JsonNode> list(String field) {
        JsonNode value = root.get(field);
        List<JsonNode> items = new ArrayList<>();
        if (value == null || value.isNull()) {
            return items;
        }
        if (!value.isArray()) {
            throw new InvalidInputException(file + ": '" + field + "' must be a list");
        }
        value.forEach(items::add);
        return items;
    }

    ObjectNode map(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidInputException(file + ": '" + field + "' must be a mapping");
        }
        return (ObjectNode) value;
    }

    InvalidInputException error(String message) {
        return new InvalidInputException(file + ": " + message);
    }

    InvalidInputException error(String message, String hint) {
        return new InvalidInputException(file + ": " + message, hint);
    }
}
