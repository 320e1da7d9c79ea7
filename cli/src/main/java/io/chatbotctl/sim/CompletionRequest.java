package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code /v1/chat/completions} or {@code /v1/completions} body, validated the way vLLM validates it.
 *
 * @param chat          true for chat completions
 * @param messages      chat messages (empty for text completions)
 * @param prompt        the text prompt (null for chat)
 * @param promptTokens  prompt length by {@link Tokenizer}, template included
 * @param maxTokens     {@code max_tokens} / {@code max_completion_tokens}, or null
 * @param ignoreEos     vLLM's {@code ignore_eos}: answer exactly {@code max_tokens}
 */
record CompletionRequest(boolean chat, List<ChatMessage> messages, String prompt, int promptTokens, boolean stream,
                         boolean includeUsage, Integer maxTokens, boolean ignoreEos) {

    /** What the answer rules look at: the last user message, or the text prompt. */
    String lastUserMessage() {
        if (!chat) {
            return prompt;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    static CompletionRequest parse(boolean chat, byte[] body, SimConfig config) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            int nl = m.indexOf('\n');
            throw ApiError.badRequest("Invalid JSON body: " + (nl < 0 ? m : m.substring(0, nl)), null);
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.", null);
        }
        JsonNode model = root.get("model");
        if (model != null && !model.isNull() && !config.model().equals(model.asText())) {
            throw ApiError.badRequest("The model `" + model.asText() + "` does not exist.", "model");
        }
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && n.asInt(1) != 1) {
            throw ApiError.badRequest("The simulator answers n=1 only.", "n");
        }
        Integer maxTokens = maxTokens(root);
        boolean stream = root.path("stream").asBoolean(false);
        boolean includeUsage = stream && root.path("stream_options").path("include_usage").asBoolean(false);
        boolean ignoreEos = root.path("ignore_eos").asBoolean(false);
        List<ChatMessage> messages = List.of();
        String prompt = null;
        int promptTokens;
        if (chat) {
            messages = messages(root.get("messages"));
            promptTokens = Tokenizer.countChat(messages);
        } else {
            prompt = prompt(root.get("prompt"));
            promptTokens = Tokenizer.countPrompt(prompt);
        }
        int limit = config.maxModelLen();
        if (maxTokens != null && promptTokens + maxTokens > limit) {
            throw ApiError.badRequest("'max_tokens' or 'max_completion_tokens' is too large: " + maxTokens
                    + ". This model's maximum context length is " + limit + " tokens and your request has "
                    + promptTokens + " input tokens (" + maxTokens + " > " + limit + " - " + promptTokens + ").",
                    "max_tokens");
        }
        if (promptTokens >= limit) {
            throw ApiError.badRequest("This model's maximum context length is " + limit
                    + " tokens. However, your request has " + promptTokens
                    + " input tokens. Please reduce the length of the input messages.", "messages");
        }
        return new CompletionRequest(chat, messages, prompt, promptTokens, stream, includeUsage, maxTokens, ignoreEos);
    }

    private static Integer maxTokens(JsonNode root) {
        JsonNode v = root.get("max_completion_tokens");
        String name = "max_completion_tokens";
        if (v == null || v.isNull()) {
            v = root.get("max_tokens");
            name = "max_tokens";
        }
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw ApiError.badRequest(name + " must be an integer of at least 1, got " + v, name);
        }
        return v.asInt();
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiError.badRequest("'messages' must be a non-empty list of {role, content}.", "messages");
        }
        List<ChatMessage> out = new ArrayList<>(node.size());
        for (JsonNode m : node) {
            String role = m.path("role").asText("");
            if (role.isEmpty()) {
                throw ApiError.badRequest("Every message needs a 'role'.", "messages");
            }
            out.add(new ChatMessage(role, content(m.get("content"))));
        }
        return out;
    }

    private static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText())) {
                    sb.append(part.path("text").asText());
                }
            }
            return sb.toString();
        }
        throw ApiError.badRequest("A message's 'content' must be a string or a list of parts.", "messages");
    }

    private static String prompt(JsonNode node) {
        if (node != null && node.isTextual()) {
            return node.asText();
        }
        if (node != null && node.isArray() && node.size() == 1 && node.get(0).isTextual()) {
            return node.get(0).asText();
        }
        if (node != null && node.isArray() && !node.isEmpty() && node.get(0).isInt()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < node.size() - 1; i++) {
                sb.append("tok ");
            }
            return sb.append("tok").toString();
        }
        throw ApiError.badRequest("'prompt' must be a string (the simulator takes one prompt per request).", "prompt");
    }
}
