package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** patches, patchesStrategicMerge and patchesJson6902, with kustomize's target selectors. */
final class Patches {
    private Patches() {}

    private static final Set<String> PATCH_FIELDS = Set.of("path", "patch", "target", "options");
    private static final Set<String> TARGET_FIELDS = Set.of("group", "version", "kind", "name", "namespace",
            "labelSelector", "annotationSelector");

    static void strategicMergeList(Kustomization k, ResourceSet resources) {
        for (JsonNode entry : k.list("patchesStrategicMerge")) {
            String text = entry.asText();
            Path file = k.dir().resolve(text);
            String body = Files.isRegularFile(file) ? read(k, file) : text;
            for (ObjectNode patch : ManifestYaml.readObjects(body, k.file() + " patchesStrategicMerge")) {
                applyStrategic(k, resources, patch, null);
            }
        }
    }

    static void patches(Kustomization k, ResourceSet resources) {
        for (JsonNode entry : k.list("patches")) {
            if (!(entry instanceof ObjectNode spec)) {
                throw k.error("each patches entry must be a mapping with path or patch");
            }
            Generators.checkFields(k, spec, PATCH_FIELDS, "patches");
            ObjectNode target = spec.get("target") instanceof ObjectNode t ? t : null;
            Generators.checkFields(k, target, TARGET_FIELDS, "patches.target");
            if (spec.has("options")) {
                Generators.checkFields(k, (ObjectNode) spec.get("options"), Set.of(), "patches.options");
            }
            String body = body(k, spec);
            JsonNode parsed = ManifestYaml.readTree(body, k.file() + " patch");
            if (parsed != null && parsed.isArray()) {
                if (target == null) {
                    throw k.error("a JSON 6902 patch needs a target");
                }
                for (Resource r : select(resources, target)) {
                    JsonPatch.apply(r.object, (ArrayNode) parsed, k.file() + " patch on " + r);
                }
                continue;
            }
            for (ObjectNode patch : ManifestYaml.readObjects(body, k.file() + " patch")) {
                applyStrategic(k, resources, patch, target);
            }
        }
    }

    static void json6902List(Kustomization k, ResourceSet resources) {
        for (JsonNode entry : k.list("patchesJson6902")) {
            if (!(entry instanceof ObjectNode spec) || !(spec.get("target") instanceof ObjectNode target)) {
                throw k.error("each patchesJson6902 entry needs a target and a path or patch");
            }
            JsonNode ops = ManifestYaml.readTree(body(k, spec), k.file() + " patchesJson6902");
            if (ops == null || !ops.isArray()) {
                throw k.error("patchesJson6902: the patch is not a list of operations");
            }
            for (Resource r : select(resources, target)) {
                JsonPatch.apply(r.object, (ArrayNode) ops, k.file() + " patch on " + r);
            }
        }
    }

    private static void applyStrategic(Kustomization k, ResourceSet resources, ObjectNode patch, ObjectNode target) {
        List<Resource> matches;
        if (target != null) {
            matches = select(resources, target);
        } else {
            String kind = KubeObjects.kind(patch);
            String name = KubeObjects.name(patch);
            String namespace = KubeObjects.namespace(patch);
            matches = resources.list().stream()
                    .filter(r -> r.kind().equals(kind) && r.answersTo(name)
                            && (namespace.isEmpty() || namespace.equals(r.namespace())))
                    .toList();
            if (matches.isEmpty()) {
                throw k.error("patch for " + kind + "/" + name + " matches no object",
                        "check the patch's kind and metadata.name, or give it a target");
            }
        }
        for (Resource r : matches) {
            if (StrategicMergePatch.deletesObject(patch)) {
                resources.remove(r);
            } else {
                StrategicMergePatch.apply(r.object, patch);
            }
        }
    }

    static List<Resource> select(ResourceSet resources, ObjectNode target) {
        Pattern name = pattern(target, "name");
        Pattern namespace = pattern(target, "namespace");
        Pattern kind = pattern(target, "kind");
        Pattern group = pattern(target, "group");
        Pattern version = pattern(target, "version");
        String labels = target.path("labelSelector").asText(null);
        String annotations = target.path("annotationSelector").asText(null);
        return resources.list().stream()
                .filter(r -> kind == null || kind.matcher(r.kind()).matches())
                .filter(r -> group == null || group.matcher(r.group()).matches())
                .filter(r -> version == null || version.matcher(KubeObjects.version(r.object)).matches())
                .filter(r -> name == null || name.matcher(r.name()).matches()
                        || r.previousNames.stream().anyMatch(n -> name.matcher(n).matches()))
                .filter(r -> namespace == null || namespace.matcher(r.namespace()).matches())
                .filter(r -> labels == null || LabelSelector.matches(labels, r.object.path("metadata").path("labels")))
                .filter(r -> annotations == null || LabelSelector.matches(annotations, r.object.path("metadata").path("annotations")))
                .toList();
    }

    private static Pattern pattern(ObjectNode target, String field) {
        String value = target.path(field).asText("");
        return value.isEmpty() ? null : Pattern.compile(value);
    }

    private static String body(Kustomization k, ObjectNode spec) {
        if (spec.hasNonNull("patch")) {
            return spec.get("patch").asText();
        }
        if (spec.hasNonNull("path")) {
            return read(k, k.dir().resolve(spec.get("path").asText()));
        }
        throw k.error("a patch needs 'path' or 'patch'");
    }

    private static String read(Kustomization k, Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException(k.file() + ": cannot read patch " + file + ": " + e.getMessage());
        }
    }
}
