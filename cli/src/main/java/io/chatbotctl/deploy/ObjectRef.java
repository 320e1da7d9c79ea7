package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Identity of one Kubernetes object. {@code namespace} is null for cluster-scoped kinds.
 *
 * @param apiVersion e.g. {@code apps/v1}
 * @param kind       e.g. {@code Deployment}
 * @param namespace  namespace, or null
 * @param name       name
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

    public static ObjectRef of(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        String namespace = metadata.path("namespace").asText(null);
        return new ObjectRef(object.path("apiVersion").asText(), object.path("kind").asText(), namespace,
                metadata.path("name").asText());
    }

    /** The API group: {@code apps} for {@code apps/v1}, empty for the core group. */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public String version() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    }

    /** {@code Kind.group} as ApplySets write it ({@code Deployment.apps}, {@code Service}). */
    public String groupKind() {
        return group().isEmpty() ? kind : kind + "." + group();
    }

    /** Same object regardless of API version. */
    public String key() {
        return groupKind() + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    /** {@code Deployment/vllm-chatbot}, as kubectl prints it. */
    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
