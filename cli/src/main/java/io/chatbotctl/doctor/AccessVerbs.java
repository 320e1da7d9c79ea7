package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.deploy.ResourceKinds;
import io.chatbotctl.manifest.RenderedManifests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The verbs chatbotctl's cluster commands use ({@code access-verbs.yaml}, kept next to this class, each entry naming
 * the code it comes from), plus what deploy needs for every kind of the rendered overlay.
 */
final class AccessVerbs {
    static final String RESOURCE = "access-verbs.yaml";
    /** What deploy does to every rendered kind: read, server-side apply (patch, or create when absent), prune. */
    static final List<String> APPLY_VERBS = List.of("get", "list", "create", "patch", "delete");

    /**
     * One question for a SelfSubjectAccessReview.
     *
     * @param namespace null for cluster-scoped resources; {@code ""} means the service's namespace
     */
    record Verb(String group, String resource, String subresource, String verb, String namespace, String by) {
        String describe() {
            return verb + " " + resource + (subresource == null ? "" : "/" + subresource)
                    + (group.isEmpty() ? "" : "." + group);
        }
    }

    private AccessVerbs() {}

    static List<Verb> all(RenderedManifests rendered) {
        Set<Verb> verbs = new LinkedHashSet<>(fromData());
        if (rendered != null) {
            Set<String> kinds = new LinkedHashSet<>();
            rendered.objects().forEach(o -> kinds.add(o.path("apiVersion").asText() + "|" + o.path("kind").asText()));
            for (String k : kinds) {
                String[] parts = k.split("\\|");
                String group = parts[0].contains("/") ? parts[0].substring(0, parts[0].indexOf('/')) : "";
                for (String verb : APPLY_VERBS) {
                    verbs.add(new Verb(group, ResourceKinds.plural(parts[1]), null, verb,
                            ResourceKinds.namespaced(parts[1]) ? "" : null,
                            "deploy: apply and prune of the rendered " + parts[1]));
                }
            }
        }
        return dedupe(verbs);
    }

    /** One entry per (group, resource, subresource, verb, namespace): the first, which names who uses it. */
    private static List<Verb> dedupe(Set<Verb> verbs) {
        Set<String> seen = new java.util.HashSet<>();
        List<Verb> out = new ArrayList<>();
        for (Verb v : verbs) {
            if (seen.add(v.group() + "|" + v.resource() + "|" + v.subresource() + "|" + v.verb() + "|" + v.namespace())) {
                out.add(v);
            }
        }
        return out;
    }

    static List<Verb> fromData() {
        try (InputStream in = AccessVerbs.class.getResourceAsStream(RESOURCE)) {
            JsonNode entries = Json.yaml().readTree(in);
            List<Verb> verbs = new ArrayList<>();
            for (JsonNode e : entries) {
                String namespace = !e.path("namespaced").asBoolean(true) ? null : e.path("namespace").asText("");
                for (JsonNode verb : e.path("verbs")) {
                    verbs.add(new Verb(e.path("group").asText(""), e.path("resource").asText(),
                            e.hasNonNull("subresource") ? e.path("subresource").asText() : null, verb.asText(), namespace,
                            e.path("by").asText()));
                }
            }
            return verbs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
