package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading the identity of a Kubernetes object held as a Jackson tree. */
final class KubeObjects {
    private KubeObjects() {}

    static String kind(JsonNode o) {
        return o.path("kind").asText("");
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText("");
    }

    static String namespace(JsonNode o) {
        JsonNode ns = o.path("metadata").path("namespace");
        return ns.isTextual() ? ns.asText() : "";
    }

    static String apiVersion(JsonNode o) {
        return o.path("apiVersion").asText("");
    }

    /** The API group: {@code apps} for {@code apps/v1}, empty for the core group's {@code v1}. */
    static String group(JsonNode o) {
        String apiVersion = apiVersion(o);
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    static String version(JsonNode o) {
        String apiVersion = apiVersion(o);
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    }

    static ObjectNode metadata(ObjectNode o) {
        return o.has("metadata") && o.get("metadata").isObject() ? (ObjectNode) o.get("metadata") : o.putObject("metadata");
    }

    static void setName(ObjectNode o, String name) {
        metadata(o).put("name", name);
    }

    static String describe(JsonNode o) {
        return kind(o) + "/" + name(o);
    }
}
