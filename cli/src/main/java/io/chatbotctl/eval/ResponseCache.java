package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Answers kept on disk, one JSON file per request, keyed on the SHA-256 of the model id, the messages and the
 * sampling parameters (and the repetition). A file that cannot be read is a miss, never an error.
 */
public final class ResponseCache {
    private final Path dir;

    public ResponseCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The key of a request body: it includes model, messages and every sampling parameter. */
    public static String key(JsonNode requestBody, int repeat) {
        return Dataset.sha256Hex(requestBody.toString() + "\nrepeat=" + repeat);
    }

    public Optional<Answer> get(String key) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.mapper().readTree(Files.readString(file));
            if (node == null || !node.path("text").isTextual()) {
                return Optional.empty();
            }
            Integer tokens = node.hasNonNull("completionTokens") ? node.get("completionTokens").asInt() : null;
            return Optional.of(new Answer(node.get("text").asText(), null, tokens, true));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void put(String key, Answer answer) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("text", answer.text());
        if (answer.completionTokens() != null) {
            node.put("completionTokens", answer.completionTokens());
        }
        AtomicFiles.writeString(file(key), node.toString());
    }

    private Path file(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }
}
