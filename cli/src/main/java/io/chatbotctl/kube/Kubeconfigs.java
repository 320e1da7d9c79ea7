package io.chatbotctl.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the context names of a kubeconfig, so a wrong {@code --context} gets a message listing the right ones. */
final class Kubeconfigs {
    private Kubeconfigs() {}

    static List<String> contexts(String text, Path file) {
        List<String> names = new ArrayList<>();
        for (JsonNode context : parse(text, file).path("contexts")) {
            names.add(context.path("name").asText());
        }
        return names;
    }

    static String currentContext(String text, Path file) {
        JsonNode current = parse(text, file).get("current-context");
        return current == null || current.isNull() ? null : current.asText();
    }

    private static JsonNode parse(String text, Path file) {
        try {
            JsonNode node = Json.yaml().readTree(text);
            return node == null ? Json.mapper().createObjectNode() : node;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("kubeconfig " + file + " is not valid YAML: " + e.getOriginalMessage());
        }
    }
}
