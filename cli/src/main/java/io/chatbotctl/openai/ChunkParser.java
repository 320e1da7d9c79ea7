package io.chatbotctl.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.report.Json;

/** Turns the JSON of a completion chunk or response into records; errors inside the stream become exceptions. */
final class ChunkParser {
    private ChunkParser() {}

    static ChatChunk chunk(String data) {
        JsonNode node = parse(data);
        JsonNode error = node.get("error");
        if (error != null && !error.isNull()) {
            throw new OpenAiException(OpenAiException.Kind.ERROR_EVENT, 0,
                    "error in stream: " + errorMessage(node), null);
        }
        if ("error".equals(node.path("object").asText())) {
            throw new OpenAiException(OpenAiException.Kind.ERROR_EVENT, node.path("code").asInt(0),
                    "error in stream: " + errorMessage(node), null);
        }
        JsonNode choices = node.path("choices");
        JsonNode choice = choices.isArray() && !choices.isEmpty() ? choices.get(0) : null;
        String role = null;
        String content = null;
        String finish = null;
        if (choice != null) {
            JsonNode delta = choice.get("delta");
            if (delta != null) {
                role = text(delta.get("role"));
                content = text(delta.get("content"));
            } else {
                content = text(choice.get("text"));
            }
            finish = text(choice.get("finish_reason"));
        }
        return new ChatChunk(text(node.get("id")), text(node.get("model")), role, content, finish,
                usage(node.get("usage")), choice != null);
    }

    static ChatCompletion completion(String body) {
        JsonNode node = parse(body);
        JsonNode choice = node.path("choices").path(0);
        JsonNode message = choice.get("message");
        String content = message != null ? text(message.get("content")) : text(choice.get("text"));
        return new ChatCompletion(text(node.get("id")), text(node.get("model")), content == null ? "" : content,
                text(choice.get("finish_reason")), usage(node.get("usage")));
    }

    /** The message of an OpenAI error body ({@code {"error":{"message":…}}}) or vLLM's ({@code {"object":"error","message":…}}). */
    static String errorMessage(JsonNode node) {
        JsonNode error = node.get("error");
        if (error != null && error.isObject()) {
            return error.path("message").asText(error.toString());
        }
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        return node.path("message").asText(node.toString());
    }

    static JsonNode parse(String data) {
        try {
            JsonNode node = Json.mapper().readTree(data);
            if (node == null || !node.isObject()) {
                throw new OpenAiException(OpenAiException.Kind.MALFORMED_STREAM, 0, "not a JSON object: " + abbreviate(data), null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new OpenAiException(OpenAiException.Kind.MALFORMED_STREAM, 0, "malformed JSON: " + abbreviate(data), e);
        }
    }

    private static Usage usage(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        return new Usage(node.path("prompt_tokens").asInt(), node.path("completion_tokens").asInt(),
                node.path("total_tokens").asInt());
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
