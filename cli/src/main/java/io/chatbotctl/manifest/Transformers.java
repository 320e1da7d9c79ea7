package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** kustomize's built-in transformers, in the order kustomize runs them after patches. */
final class Transformers {
    private Transformers() {}

    private static final Set<String> LABEL_FIELDS = Set.of("pairs", "includeSelectors", "includeTemplates");
    private static final Set<String> IMAGE_FIELDS = Set.of("name", "newName", "newTag", "digest");
    private static final Set<String> REPLICA_FIELDS = Set.of("name", "count");

    static void namespace(Kustomization k, ResourceSet resources) {
        String namespace = k.text("namespace");
        if (namespace == null || namespace.isEmpty()) {
            return;
        }
        for (Resource r : resources) {
            String kind = r.kind();
            if (kind.equals("Namespace")) {
                r.rename(namespace);
            } else if (!BuiltinFieldSpecs.CLUSTER_SCOPED.contains(kind)) {
                KubeObjects.metadata(r.object).put("namespace", namespace);
            }
            if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
                for (JsonNode subject : r.object.path("subjects")) {
                    if (subject instanceof ObjectNode s && s.path("kind").asText().equals("ServiceAccount")
                            && s.path("name").asText().equals("default")) {
                        s.put("namespace", namespace);
                    }
                }
            }
        }
    }

    static void prefixSuffix(Kustomization k, ResourceSet resources) {
        String prefix = k.text("namePrefix");
        String suffix = k.text("nameSuffix");
        for (String affix : new String[]{prefix, suffix}) {
            if (affix == null || affix.isEmpty()) {
                continue;
            }
            for (Resource r : resources) {
                if (r.kind().equals("Namespace") || r.kind().equals("CustomResourceDefinition")) {
                    continue;
                }
                r.rename(affix == prefix ? affix + r.name() : r.name() + affix);
                if (affix == prefix) {
                    r.prefixes.add(affix);
                } else {
                    r.suffixes.add(affix);
                }
            }
        }
    }

    static void labels(Kustomization k, ResourceSet resources) {
        for (JsonNode entry : k.list("labels")) {
            if (!(entry instanceof ObjectNode label)) {
                throw k.error("each labels entry must be a mapping with pairs");
            }
            Generators.checkFields(k, label, LABEL_FIELDS, "labels");
            List<FieldSpec> specs = new ArrayList<>();
            if (label.path("includeSelectors").asBoolean(false)) {
                specs.addAll(BuiltinFieldSpecs.commonLabels());
            } else {
                specs.add(FieldSpec.any("metadata/labels", true));
                if (label.path("includeTemplates").asBoolean(false)) {
                    specs.addAll(BuiltinFieldSpecs.templateLabels());
                }
            }
            setAll(resources, label.get("pairs"), specs);
        }
        setAll(resources, k.map("commonLabels"), BuiltinFieldSpecs.commonLabels());
    }

    static void annotations(Kustomization k, ResourceSet resources) {
        setAll(resources, k.map("commonAnnotations"), BuiltinFieldSpecs.commonAnnotations());
    }

    private static void setAll(ResourceSet resources, JsonNode pairs, List<FieldSpec> specs) {
        if (!(pairs instanceof ObjectNode values) || values.isEmpty()) {
            return;
        }
        for (Resource r : resources) {
            for (FieldSpec spec : specs) {
                spec.visit(r.object, (parent, field) -> {
                    JsonNode existing = parent.get(field);
                    ObjectNode map = existing instanceof ObjectNode m ? m : parent.putObject(field);
                    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        map.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
                    }
                });
            }
        }
    }

    static void replicas(Kustomization k, ResourceSet resources) {
        for (JsonNode entry : k.list("replicas")) {
            if (!(entry instanceof ObjectNode spec) || !spec.has("name") || !spec.has("count")) {
                throw k.error("each replicas entry needs a name and a count");
            }
            Generators.checkFields(k, spec, REPLICA_FIELDS, "replicas");
            String name = spec.get("name").asText();
            for (Resource r : resources) {
                if (BuiltinFieldSpecs.REPLICATED_KINDS.contains(r.kind()) && r.answersTo(name)) {
                    JsonNode specNode = r.object.get("spec");
                    ObjectNode target = specNode instanceof ObjectNode s ? s : r.object.putObject("spec");
                    target.put("replicas", spec.get("count").asInt());
                }
            }
        }
    }

    static void images(Kustomization k, ResourceSet resources) {
        for (JsonNode entry : k.list("images")) {
            if (!(entry instanceof ObjectNode image) || !image.hasNonNull("name")) {
                throw k.error("each images entry needs a name");
            }
            Generators.checkFields(k, image, IMAGE_FIELDS, "images");
            ImageRef.ImageOverride override = new ImageRef.ImageOverride(image.get("name").asText(),
                    image.path("newName").asText(null), image.path("newTag").asText(null), image.path("digest").asText(null));
            for (Resource r : resources) {
                updateContainers(r.object, override);
            }
        }
    }

    /** Every containers / initContainers list anywhere in the object, as kustomize's image transformer does. */
    static void updateContainers(JsonNode node, ImageRef.ImageOverride override) {
        if (node instanceof ObjectNode map) {
            map.fields().forEachRemaining(e -> {
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers")) && e.getValue() instanceof ArrayNode list) {
                    for (JsonNode container : list) {
                        if (container instanceof ObjectNode c && c.get("image") != null && c.get("image").isTextual()) {
                            String updated = override.apply(c.get("image").asText());
                            if (updated != null) {
                                c.put("image", updated);
                            }
                        }
                    }
                }
                updateContainers(e.getValue(), override);
            });
        } else if (node instanceof ArrayNode list) {
            list.forEach(item -> updateContainers(item, override));
        }
    }
}
