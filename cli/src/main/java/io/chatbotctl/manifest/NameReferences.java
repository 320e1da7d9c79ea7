package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * After prefixes, suffixes and hash suffixes changed names, rewrites the fields that refer to those objects by
 * name (a Deployment's ConfigMap volume, an HPA's scale target, an Ingress backend), as kustomize does last.
 */
final class NameReferences {
    private NameReferences() {}

    private static final Map<String, List<FieldSpec>> REFERENCES = BuiltinFieldSpecs.nameReferences();

    static void fix(List<Resource> resources) {
        for (Resource referrer : resources) {
            REFERENCES.forEach((referredKind, specs) -> {
                for (FieldSpec spec : specs) {
                    spec.visit(referrer.object, (parent, field) -> {
                        JsonNode value = parent.get(field);
                        if (value != null && value.isTextual()) {
                            Resource target = find(resources, referrer, referredKind, value.asText());
                            if (target != null) {
                                parent.put(field, target.name());
                            }
                        }
                    });
                }
            });
            if (referrer.kind().equals("RoleBinding") || referrer.kind().equals("ClusterRoleBinding")) {
                fixRoleBinding(resources, referrer);
            }
        }
    }

    private static void fixRoleBinding(List<Resource> resources, Resource binding) {
        JsonNode roleRef = binding.object.get("roleRef");
        if (roleRef instanceof ObjectNode ref && ref.hasNonNull("name")) {
            Resource role = find(resources, binding, ref.path("kind").asText(), ref.get("name").asText());
            if (role != null) {
                ref.put("name", role.name());
            }
        }
        for (JsonNode subject : binding.object.path("subjects")) {
            if (subject instanceof ObjectNode s && s.path("kind").asText().equals("ServiceAccount")) {
                String namespace = s.path("namespace").asText(binding.namespace());
                for (Resource r : resources) {
                    if (r.kind().equals("ServiceAccount") && r.answersTo(s.path("name").asText())
                            && (r.originalNamespace.equals(namespace) || r.namespace().equals(namespace))) {
                        s.put("name", r.name());
                        if (s.has("namespace")) {
                            s.put("namespace", r.namespace());
                        }
                        break;
                    }
                }
            }
        }
    }

    private static Resource find(List<Resource> resources, Resource referrer, String kind, String name) {
        Resource found = null;
        for (Resource candidate : resources) {
            if (!candidate.kind().equals(kind) || !candidate.answersTo(name) || candidate.name().equals(name) && candidate.previousNames.isEmpty()) {
                continue;
            }
            boolean clusterScoped = BuiltinFieldSpecs.CLUSTER_SCOPED.contains(kind);
            if (!clusterScoped && !candidate.namespace().equals(referrer.namespace())) {
                continue;
            }
            if (found == null || sameAffixes(candidate, referrer) && !sameAffixes(found, referrer)) {
                found = candidate;
            }
        }
        return found;
    }

    private static boolean sameAffixes(Resource a, Resource b) {
        return a.prefixes.equals(b.prefixes) && a.suffixes.equals(b.suffixes);
    }
}
