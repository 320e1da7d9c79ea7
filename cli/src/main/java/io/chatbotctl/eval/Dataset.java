package io.chatbotctl.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.UnknownFields;
import io.chatbotctl.core.IoErrors;
import io.chatbotctl.openai.ChatMessage;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cases of one run, read from JSONL files (one case per line; blank lines and lines starting with
 * {@code //} are skipped).
 *
 * @param files  the files, in the order given
 * @param sha256 hash of the files' bytes in that order: the dataset part of the run's fingerprint
 * @param cases  all cases, file by file
 */
public record Dataset(List<String> files, String sha256, List<EvalCase> cases) {
    private static final String HINT = "see docs/eval.md for the dataset format";
    private static final Set<String> CASE_FIELDS = Set.of("id", "messages", "input", "assert", "threshold", "metadata",
            "description");
    private static final Set<String> ASSERT_FIELDS = Set.of("type", "value", "weight", "threshold", "flags", "unit",
            "schema");

    public static Dataset load(List<Path> files) {
        if (files.isEmpty()) {
            throw new InvalidInputException("no dataset given", "pass --dataset evals/datasets/support-ko.jsonl (repeatable)");
        }
        MessageDigest digest = newDigest();
        List<EvalCase> cases = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new InvalidInputException("cannot read dataset " + file + ": " + IoErrors.reason(e),
                        "check the path given to --dataset");
            }
            digest.update(bytes);
            names.add(file.toString());
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty() || line.startsWith("//")) {
                    continue;
                }
                EvalCase c = parseCase(line, file + ":" + (i + 1));
                String earlier = seen.putIfAbsent(c.id(), c.source());
                if (earlier != null) {
                    throw new InvalidInputException(c.source() + ": case id '" + c.id() + "' is already used at " + earlier,
                            "case ids pair results with a baseline: keep them unique");
                }
                cases.add(c);
            }
        }
        if (cases.isEmpty()) {
            throw new InvalidInputException("the datasets " + names + " hold no cases");
        }
        return new Dataset(names, HexFormat.of().formatHex(digest.digest()), cases);
    }

    static EvalCase parseCase(String line, String where) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw bad(where, "not valid JSON: " + Json.problem(e));
        }
        if (node == null || !node.isObject()) {
            throw bad(where, "expected one JSON object per line");
        }
        UnknownFields.reject(node, CASE_FIELDS, where, "", HINT);
        String id = text(node, "id");
        if (id == null || id.isBlank()) {
            throw bad(where, "'id' is missing");
        }
        JsonNode metadata = node.path("metadata");
        String category = text(metadata, "category");
        if (category == null || category.isBlank()) {
            throw bad(where, "'metadata.category' is missing");
        }
        String severity = text(metadata, "severity");
        severity = severity == null ? "major" : severity;
        if (!EvalCase.SEVERITIES.contains(severity)) {
            throw bad(where, "'metadata.severity' must be one of " + EvalCase.SEVERITIES + ", got '" + severity + "'");
        }
        List<ChatMessage> messages = messages(node, where);
        JsonNode asserts = node.path("assert");
        if (!asserts.isArray() || asserts.isEmpty()) {
            throw bad(where, "'assert' must be a non-empty list of assertions");
        }
        List<AssertionSpec> specs = new ArrayList<>();
        int n = 1;
        for (JsonNode a : asserts) {
            specs.add(assertion(a, where + ": assertion " + n++));
        }
        Double threshold = null;
        if (node.has("threshold")) {
            JsonNode t = node.get("threshold");
            if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 1) {
                throw bad(where, "'threshold' must be a number from 0 to 1");
            }
            threshold = t.asDouble();
        }
        return new EvalCase(id, category, severity, messages, specs, threshold, where);
    }

    private static List<ChatMessage> messages(JsonNode node, String where) {
        List<ChatMessage> messages = new ArrayList<>();
        if (node.has("input")) {
            messages.add(ChatMessage.user(node.get("input").asText()));
        }
        for (JsonNode m : node.path("messages")) {
            String role = text(m, "role");
            String content = text(m, "content");
            if (!Set.of("system", "user", "assistant").contains(String.valueOf(role)) || content == null) {
                throw bad(where, "each message needs 'role' (system, user or assistant) and 'content'");
            }
            messages.add(new ChatMessage(role, content));
        }
        if (messages.stream().noneMatch(m -> m.role().equals("user"))) {
            throw bad(where, "give 'input' or 'messages' with at least one user message");
        }
        return messages;
    }

    private static AssertionSpec assertion(JsonNode a, String where) {
        if (!a.isObject()) {
            throw bad(where, "an assertion is an object with 'type' and 'value'");
        }
        UnknownFields.reject(a, ASSERT_FIELDS, where, "", HINT);
        String type = text(a, "type");
        if (type == null) {
            throw bad(where, "'type' is missing");
        }
        boolean negated = type.startsWith("not-");
        String base = negated ? type.substring(4) : type;
        if (base.equals("is-refusal")) {
            base = "refusal";
        }
        double weight = 1;
        if (a.has("weight")) {
            if (!a.get("weight").isNumber() || a.get("weight").asDouble() < 0) {
                throw bad(where, "'weight' must be a number >= 0");
            }
            weight = a.get("weight").asDouble();
        }
        Double threshold = a.has("threshold") ? a.get("threshold").asDouble() : null;
        JsonNode value = a.get("value");
        if (base.equals("latency") && value == null && threshold != null) {
            value = a.get("threshold");
        }
        AssertionSpec spec = new AssertionSpec(base, negated, value, weight, threshold, text(a, "flags"), text(a, "unit"),
                a.get("schema"));
        String problem = AssertionTypes.problem(spec);
        if (problem == null && spec.schema() != null) {
            problem = JsonChecks.schemaProblem(spec.schema());
        }
        if (problem != null) {
            throw bad(where, type + ": " + problem);
        }
        return spec;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static InvalidInputException bad(String where, String message) {
        return new InvalidInputException(where + ": " + message, HINT);
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
