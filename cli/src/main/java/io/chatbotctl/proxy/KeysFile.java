package io.chatbotctl.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys file: YAML, the content of a Kubernetes Secret's {@code keys.yaml}.
 * <pre>
 * keys:
 *   - name: web
 *     hash: sha256:9f86d0...
 *     rpm: 600
 *     tpm: 200000
 *     maxConcurrency: 32
 *     revoked: false
 *     created: 2026-12-06T09:00:00Z
 * </pre>
 */
public final class KeysFile {
    private static final List<String> FIELDS = List.of("name", "hash", "rpm", "tpm", "maxConcurrency", "revoked", "created");

    private KeysFile() {}

    /** The keys in {@code file}; a missing file is an empty list. */
    public static List<ApiKey> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read keys file " + file + ": " + e.getMessage());
        }
        return parse(bytes, file.toString());
    }

    static List<ApiKey> parse(byte[] bytes, String name) {
        JsonNode root;
        try {
            root = Json.yaml().readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(name + ": invalid YAML: " + Json.problem(e));
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return List.of();
        }
        JsonNode keys = root.path("keys");
        if (!root.isObject() || !(keys.isArray() || keys.isMissingNode() || keys.isNull())) {
            throw new InvalidInputException(name + ": must be a mapping with a 'keys' list");
        }
        List<ApiKey> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        io.chatbotctl.core.UnknownFields.reject(root, List.of("keys"), name, "", "see docs/proxy.md");
        for (JsonNode k : keys) {
            io.chatbotctl.core.UnknownFields.reject(k, FIELDS, name, "keys[" + i + "].", "see docs/proxy.md");
            String where = name + ": keys[" + i++ + "]";
            String keyName = k.path("name").asText("");
            String hash = k.path("hash").asText("");
            if (!Keys.validName(keyName)) {
                throw new InvalidInputException(where + ".name: '" + keyName + "' is not a key name (letters, digits, '-', '_', '.')");
            }
            if (!hash.matches("sha256:[0-9a-f]{64}")) {
                throw new InvalidInputException(where + ".hash: must be sha256: and 64 hex digits");
            }
            if (!names.add(keyName)) {
                throw new InvalidInputException(where + ".name: '" + keyName + "' appears twice");
            }
            Instant created = k.hasNonNull("created") ? Instant.parse(k.get("created").asText()) : null;
            out.add(new ApiKey(keyName, hash, limit(k, "rpm", where), limit(k, "tpm", where),
                    limit(k, "maxConcurrency", where), k.path("revoked").asBoolean(false), created));
        }
        return out;
    }

    private static int limit(JsonNode k, String field, String where) {
        JsonNode v = k.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
            throw new InvalidInputException(where + "." + field + ": must be a whole number >= 0 (0 = no limit)");
        }
        return v.asInt();
    }

    /** Writes {@code keys} to {@code file} atomically (a reader never sees half a file). */
    public static void write(Path file, List<ApiKey> keys) {
        ObjectNode root = Json.yaml().createObjectNode();
        ArrayNode list = root.putArray("keys");
        for (ApiKey k : keys) {
            ObjectNode n = list.addObject();
            n.put("name", k.name());
            n.put("hash", k.hash());
            n.put("rpm", k.rpm());
            n.put("tpm", k.tpm());
            n.put("maxConcurrency", k.maxConcurrency());
            n.put("revoked", k.revoked());
            if (k.created() != null) {
                n.put("created", k.created().toString());
            }
        }
        try {
            AtomicFiles.writeString(file, Json.yaml().writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
