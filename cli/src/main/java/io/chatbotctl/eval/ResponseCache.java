package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Answers kept on disk, one JSON file per request. The key is the SHA-256 of everything the answer depends on: the
 * endpoint's base URL, the extra request headers (a canary's routing header reaches other weights), the served
 * model as the server reports it (and {@code --model-revision}), the request body (model id, messages, sampling
 * parameters) and the repetition. A file that cannot be read is a miss, never an error.
 */
public final class ResponseCache {
    private final Path dir;

    public ResponseCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Where answers are cached unless {@code --cache-dir} says otherwise: {@code $XDG_CACHE_HOME/chatbotctl/eval},
     * else {@code $HOME/.cache/chatbotctl/eval}; null (no cache) when the environment has neither, so a process
     * without a home (a test's own environment) never writes into one.
     */
    public static Path defaultDir(Map<String, String> variables) {
        String xdg = variables.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "chatbotctl", "eval");
        }
        String home = variables.get("HOME");
        return home == null || home.isBlank() ? null : Path.of(home, ".cache", "chatbotctl", "eval");
    }

    /** The key of one request to one served model at one endpoint. */
    public static String key(String baseUrl, Map<String, String> headers, ServedModel model, JsonNode requestBody, int repeat) {
        StringBuilder text = new StringBuilder("endpoint=").append(baseUrl).append('\n');
        Map<String, String> sorted = new TreeMap<>();
        headers.forEach((name, value) -> sorted.put(name.toLowerCase(Locale.ROOT), value));
        sorted.forEach((name, value) -> text.append("header ").append(name).append(": ").append(value).append('\n'));
        text.append(model.identity()).append('\n').append(requestBody).append("\nrepeat=").append(repeat);
        return Dataset.sha256Hex(text.toString());
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
