package io.chatbotctl.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the service accepts, applied to a request body before it goes upstream: the served model only, no options the
 * service does not offer, the system prompt, the input-token ceiling and the {@code max_tokens} ceiling; streams ask
 * the upstream for usage so tokens are counted exactly.
 */
final class RequestPolicy {
    /** Completion tokens assumed at admission when a request sets no max_tokens and no ceiling applies. */
    static final int DEFAULT_COMPLETION_ESTIMATE = 256;
    /** Options refused, with why: the chatbot answers one text per request, without tools. */
    private static final List<String> REFUSED = List.of("tools", "tool_choice", "functions", "function_call",
            "parallel_tool_calls", "logprobs", "top_logprobs", "prompt_logprobs", "echo", "logit_bias", "suffix");

    private final ProxyOptions options;
    /** The system message as written first in {@code messages}, with the comma that follows it. */
    private final byte[] systemMessage;

    RequestPolicy(ProxyOptions options) {
        this.options = options;
        String prompt = options.systemPrompt();
        byte[] message = new byte[0];
        if (prompt != null && !prompt.isEmpty()) {
            try {
                message = (Json.mapper().writeValueAsString(systemMessage(prompt)) + ",").getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        this.systemMessage = message;
    }

    private static ObjectNode systemMessage(String prompt) {
        return Json.mapper().createObjectNode().put("role", "system").put("content", prompt);
    }

    /**
     * @param body            the upstream's body (rewritten or the original bytes)
     * @param stripUsage      the client did not ask for a usage chunk, the proxy did: drop it from the stream
     * @param estimatedPrompt prompt tokens estimated
     * @param maxTokens       the completion ceiling the request runs with (0 when none)
     */
    record Applied(byte[] body, String model, boolean stream, boolean stripUsage, int estimatedPrompt, int maxTokens) {
        long admissionTokens() {
            return estimatedPrompt + (maxTokens > 0 ? maxTokens : DEFAULT_COMPLETION_ESTIMATE);
        }
    }

    Applied apply(byte[] bytes, boolean chat) {
        JsonNode parsed;
        boolean trailing;
        try (JsonParser parser = Json.mapper().getFactory().createParser(bytes)) {
            parsed = Json.mapper().readTree(parser);
            trailing = parsed != null && parser.nextToken() != null;
        } catch (JsonProcessingException e) {
            throw ProxyError.badRequest("We could not parse the JSON body of your request: " + Json.problem(e)
                    + ". (The body must be a JSON object.)", null, "invalid_json");
        } catch (IOException e) {
            throw ProxyError.badRequest("We could not read the body of your request.", null, "invalid_json");
        }
        if (parsed == null || !parsed.isObject()) {
            throw ProxyError.badRequest("The request body must be a JSON object.", null, "invalid_json");
        }
        ObjectNode root = (ObjectNode) parsed;
        Edits edits = new Edits();
        edits.rewrite = trailing;
        String model = model(root, edits);
        for (String field : REFUSED) {
            JsonNode v = root.get(field);
            if (v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean()) && !(v.isArray() && v.isEmpty())) {
                throw ProxyError.badRequest("'" + field + "' is not supported by this service.", field, "unsupported_parameter");
            }
        }
        for (String field : List.of("n", "best_of")) {
            JsonNode v = root.get(field);
            if (v != null && !v.isNull() && (!v.isIntegralNumber() || v.asInt() != 1)) {
                throw ProxyError.badRequest("'" + field + "' must be 1: this service returns one choice per request.",
                        field, "unsupported_parameter");
            }
        }
        boolean stream = root.path("stream").asBoolean(false);
        int prompt;
        if (chat) {
            ArrayNode messages = messages(root);
            applySystemPrompt(root, messages, edits);
            prompt = chatTokens(root.withArray("messages"));
        } else {
            prompt = promptTokens(root);
        }
        if (options.maxInputTokens() > 0 && prompt > options.maxInputTokens()) {
            throw ProxyError.badRequest("Your input is about " + prompt + " tokens; this service accepts at most "
                    + options.maxInputTokens() + " input tokens. Shorten the conversation or the prompt.",
                    chat ? "messages" : "prompt", "input_too_long");
        }
        int maxTokens = maxTokens(root, edits);
        boolean strip = false;
        if (stream) {
            JsonNode so = root.get("stream_options");
            boolean asked = so != null && so.path("include_usage").asBoolean(false);
            if (!asked) {
                if (so == null) {
                    edits.askUsage = true;
                } else {
                    edits.rewrite = true;
                }
                ObjectNode streamOptions = so != null && so.isObject() ? (ObjectNode) so : root.putObject("stream_options");
                streamOptions.put("include_usage", true);
                strip = true;
            }
        }
        return new Applied(body(bytes, root, edits), model, stream, strip, prompt, maxTokens);
    }

    /** What {@link #apply} changed in the body. */
    private static final class Edits {
        /** A change only a re-serialisation can make (or trailing content after the object to drop). */
        boolean rewrite;
        /** {@code stream_options} was absent and is added, asking for usage. */
        boolean askUsage;
        /** The system message is put before the client's messages. */
        boolean prependSystem;
    }

    private static final byte[] ASK_USAGE = "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.UTF_8);

    /**
     * The body sent upstream: the client's own bytes when nothing changed, or with {@code stream_options} written in
     * after the opening brace and the system message after the opening bracket of {@code messages} when those are the
     * only changes (the common request: no parse-and-serialise round trip), else the edited tree serialised.
     */
    private byte[] body(byte[] bytes, ObjectNode root, Edits edits) {
        if (!edits.rewrite) {
            int brace = openingBrace(bytes);
            int bracket = edits.prependSystem ? messagesBracket(bytes) : -1;
            if (brace >= 0 && !edits.askUsage && !edits.prependSystem) {
                return bytes;
            }
            if (brace >= 0 && !root.isEmpty() && (!edits.prependSystem || bracket > brace)) {
                byte[] usage = edits.askUsage ? ASK_USAGE : new byte[0];
                byte[] system = edits.prependSystem ? systemMessage : new byte[0];
                int second = edits.prependSystem ? bracket : bytes.length - 1;
                byte[] out = new byte[bytes.length + usage.length + system.length];
                int at = 0;
                System.arraycopy(bytes, 0, out, at, brace + 1);
                at += brace + 1;
                System.arraycopy(usage, 0, out, at, usage.length);
                at += usage.length;
                System.arraycopy(bytes, brace + 1, out, at, second - brace);
                at += second - brace;
                System.arraycopy(system, 0, out, at, system.length);
                at += system.length;
                System.arraycopy(bytes, second + 1, out, at, bytes.length - second - 1);
                return out;
            }
        }
        try {
            return Json.mapper().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the one top-level {@code messages} array opens in the body, or -1 (absent, repeated, not found). */
    private static int messagesBracket(byte[] bytes) {
        int found = -1;
        try (JsonParser parser = Json.mapper().getFactory().createParser(bytes)) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return -1;
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                boolean messages = parser.currentName().equals("messages");
                com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
                if (messages) {
                    long at = parser.currentTokenLocation().getByteOffset();
                    if (found >= 0 || value != com.fasterxml.jackson.core.JsonToken.START_ARRAY || at < 0
                            || at >= bytes.length || bytes[(int) at] != '[') {
                        return -1;
                    }
                    found = (int) at;
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            return -1;
        }
        return found;
    }

    /** Where the object opens in a UTF-8 body (after blank space), or -1 (another encoding: re-serialised as UTF-8). */
    private static int openingBrace(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '{') {
                return i + 1 < bytes.length && bytes[i + 1] != 0 ? i : -1;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return -1;
            }
        }
        return -1;
    }

    private String model(ObjectNode root, Edits edits) {
        JsonNode m = root.get("model");
        String served = options.servedModel();
        if (m == null || m.isNull()) {
            if (served == null) {
                throw ProxyError.badRequest("You must provide a model parameter.", "model", null);
            }
            root.put("model", served);
            edits.rewrite = true;
            return served;
        }
        if (!m.isTextual()) {
            throw ProxyError.badRequest("'model' must be a string.", "model", null);
        }
        if (served != null && !served.equals(m.asText())) {
            throw new ProxyError(404, "invalid_request_error", "model_not_found", "model",
                    "The model `" + m.asText() + "` does not exist or you do not have access to it.");
        }
        return m.asText();
    }

    private static ArrayNode messages(ObjectNode root) {
        JsonNode m = root.get("messages");
        if (m == null || !m.isArray() || m.isEmpty()) {
            throw ProxyError.badRequest("'messages' must be a non-empty array.", "messages", null);
        }
        for (JsonNode message : m) {
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw ProxyError.badRequest("Each message must be an object with a 'role'.", "messages", null);
            }
        }
        return (ArrayNode) m;
    }

    /** Puts the system prompt in the messages; notes whether that was only a message put first. */
    private void applySystemPrompt(ObjectNode root, ArrayNode messages, Edits edits) {
        String prompt = options.systemPrompt();
        if (prompt == null || prompt.isEmpty()) {
            return;
        }
        boolean clientHasSystem = false;
        for (JsonNode m : messages) {
            clientHasSystem |= "system".equals(m.path("role").asText());
        }
        ArrayNode out = Json.mapper().createArrayNode();
        out.add(systemMessage(prompt));
        switch (options.systemPromptPolicy()) {
            case DEFAULT -> {
                if (clientHasSystem) {
                    return;
                }
                out.addAll(messages);
            }
            case PREPEND -> out.addAll(messages);
            case REPLACE -> {
                for (JsonNode m : messages) {
                    if (!"system".equals(m.path("role").asText())) {
                        out.add(m);
                    }
                }
                edits.rewrite |= clientHasSystem;
            }
        }
        root.set("messages", out);
        edits.prependSystem = true;
    }

    private static int chatTokens(ArrayNode messages) {
        int tokens = 0;
        for (JsonNode m : messages) {
            tokens += TokenEstimate.PER_MESSAGE;
            JsonNode content = m.get("content");
            if (content == null || content.isNull()) {
                continue;
            }
            if (content.isTextual()) {
                tokens += TokenEstimate.of(content.asText());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    tokens += TokenEstimate.of(part.path("text").asText(""));
                }
            } else {
                throw ProxyError.badRequest("A message's 'content' must be a string or an array of parts.", "messages", null);
            }
        }
        return tokens;
    }

    private static int promptTokens(ObjectNode root) {
        JsonNode p = root.get("prompt");
        if (p == null || p.isNull()) {
            throw ProxyError.badRequest("You must provide a 'prompt'.", "prompt", null);
        }
        if (p.isTextual()) {
            return TokenEstimate.of(p.asText());
        }
        if (p.isArray()) {
            int tokens = 0;
            for (JsonNode item : p) {
                if (item.isTextual()) {
                    tokens += TokenEstimate.of(item.asText());
                } else if (item.isIntegralNumber()) {
                    tokens++;
                } else if (item.isArray()) {
                    tokens += item.size();
                }
            }
            return tokens;
        }
        throw ProxyError.badRequest("'prompt' must be a string or an array.", "prompt", null);
    }

    private int maxTokens(ObjectNode root, Edits edits) {
        int ceiling = options.maxTokensCeiling();
        int max = 0;
        for (String field : List.of("max_tokens", "max_completion_tokens")) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
                throw ProxyError.badRequest("'" + field + "' must be a positive whole number.", field, null);
            }
            if (ceiling > 0 && v.asInt() > ceiling) {
                throw ProxyError.badRequest("'" + field + "' is " + v.asInt() + "; this service allows at most "
                        + ceiling + ".", field, "max_tokens_too_large");
            }
            max = Math.max(max, v.asInt());
        }
        if (max == 0 && ceiling > 0) {
            root.put("max_tokens", ceiling);
            edits.rewrite = true;
            max = ceiling;
        }
        return max;
    }
}
