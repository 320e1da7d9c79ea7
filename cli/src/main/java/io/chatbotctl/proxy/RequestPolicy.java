package io.chatbotctl.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;

import java.io.IOException;
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

    RequestPolicy(ProxyOptions options) {
        this.options = options;
    }

    /**
     * @param body            the upstream's body (rewritten or the original bytes)
     * @param stripUsage      the client did not ask for a usage chunk, the proxy did: drop it from the stream
     * @param estimatedPrompt prompt tokens estimated
     * @param maxTokens       the completion ceiling the request runs with (0 when none)
     */
    record Applied(byte[] body, String model, boolean stream, boolean stripUsage, int estimatedPrompt, int maxTokens,
                   String requestText) {
        long admissionTokens() {
            return estimatedPrompt + (maxTokens > 0 ? maxTokens : DEFAULT_COMPLETION_ESTIMATE);
        }
    }

    Applied apply(byte[] bytes, boolean chat) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(bytes);
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
        String model = model(root);
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
        StringBuilder text = new StringBuilder();
        if (chat) {
            ArrayNode messages = messages(root);
            applySystemPrompt(root, messages);
            prompt = chatTokens(root.withArray("messages"), text);
        } else {
            prompt = promptTokens(root, text);
        }
        if (options.maxInputTokens() > 0 && prompt > options.maxInputTokens()) {
            throw ProxyError.badRequest("Your input is about " + prompt + " tokens; this service accepts at most "
                    + options.maxInputTokens() + " input tokens. Shorten the conversation or the prompt.",
                    chat ? "messages" : "prompt", "input_too_long");
        }
        int maxTokens = maxTokens(root);
        boolean strip = false;
        if (stream) {
            JsonNode so = root.get("stream_options");
            boolean asked = so != null && so.path("include_usage").asBoolean(false);
            if (!asked) {
                ObjectNode streamOptions = so != null && so.isObject() ? (ObjectNode) so : root.putObject("stream_options");
                streamOptions.put("include_usage", true);
                strip = true;
            }
        }
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Applied(body, model, stream, strip, prompt, maxTokens, text.toString());
    }

    private String model(ObjectNode root) {
        JsonNode m = root.get("model");
        String served = options.servedModel();
        if (m == null || m.isNull()) {
            if (served == null) {
                throw ProxyError.badRequest("You must provide a model parameter.", "model", null);
            }
            root.put("model", served);
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

    private void applySystemPrompt(ObjectNode root, ArrayNode messages) {
        String prompt = options.systemPrompt();
        if (prompt == null || prompt.isEmpty()) {
            return;
        }
        boolean clientHasSystem = false;
        for (JsonNode m : messages) {
            clientHasSystem |= "system".equals(m.path("role").asText());
        }
        ArrayNode out = Json.mapper().createArrayNode();
        switch (options.systemPromptPolicy()) {
            case DEFAULT -> {
                if (clientHasSystem) {
                    return;
                }
                out.addObject().put("role", "system").put("content", prompt);
                out.addAll(messages);
            }
            case PREPEND -> {
                out.addObject().put("role", "system").put("content", prompt);
                out.addAll(messages);
            }
            case REPLACE -> {
                out.addObject().put("role", "system").put("content", prompt);
                for (JsonNode m : messages) {
                    if (!"system".equals(m.path("role").asText())) {
                        out.add(m);
                    }
                }
            }
        }
        root.set("messages", out);
    }

    private static int chatTokens(ArrayNode messages, StringBuilder text) {
        int tokens = 0;
        for (JsonNode m : messages) {
            tokens += TokenEstimate.PER_MESSAGE;
            JsonNode content = m.get("content");
            if (content == null || content.isNull()) {
                continue;
            }
            if (content.isTextual()) {
                tokens += TokenEstimate.of(content.asText());
                text.append(content.asText()).append('\n');
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    String t = part.path("text").asText("");
                    tokens += TokenEstimate.of(t);
                    text.append(t).append('\n');
                }
            } else {
                throw ProxyError.badRequest("A message's 'content' must be a string or an array of parts.", "messages", null);
            }
        }
        return tokens;
    }

    private static int promptTokens(ObjectNode root, StringBuilder text) {
        JsonNode p = root.get("prompt");
        if (p == null || p.isNull()) {
            throw ProxyError.badRequest("You must provide a 'prompt'.", "prompt", null);
        }
        if (p.isTextual()) {
            text.append(p.asText());
            return TokenEstimate.of(p.asText());
        }
        if (p.isArray()) {
            int tokens = 0;
            for (JsonNode item : p) {
                if (item.isTextual()) {
                    tokens += TokenEstimate.of(item.asText());
                    text.append(item.asText()).append('\n');
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

    private int maxTokens(ObjectNode root) {
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
            max = ceiling;
        }
        return max;
    }
}
