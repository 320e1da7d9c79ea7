package io.chatbotctl.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Turns the JSON of a completion chunk or response into records; errors inside the stream become exceptions. */
final class ChunkParser {
    private ChunkParser() {}

    /**
     * Reads a chunk with Jackson's streaming parser (no tree): {@code id}, {@code model}, the first choice's
     * {@code delta.role}/{@code delta.content} (or {@code text}) and {@code finish_reason}, and {@code usage}.
     * An {@code error} field or vLLM's {@code {"object":"error"}} is an ERROR_EVENT; JSON that does not parse, or is
     * not an object, is a MALFORMED_STREAM.
     */
    static ChatChunk chunk(byte[] data, int offset, int length) {
        try (JsonParser p = Json.mapper().getFactory().createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new OpenAiException(OpenAiException.Kind.MALFORMED_STREAM, 0,
                        "not a JSON object: " + abbreviate(data, offset, length), null);
            }
            ChunkFields f = new ChunkFields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> f.id = text(p, value);
                    case "model" -> f.model = text(p, value);
                    case "object" -> f.errorObject = "error".equals(text(p, value));
                    case "error" -> {
                        f.error |= value != JsonToken.VALUE_NULL;
                        p.skipChildren();
                    }
                    case "choices" -> choices(p, value, f);
                    case "usage" -> f.usage = usage(p, value);
                    default -> p.skipChildren();
                }
            }
            if (f.error || f.errorObject) {
                JsonNode node = parse(new String(data, offset, length, StandardCharsets.UTF_8));
                int code = f.error ? 0 : node.path("code").asInt(0);
                throw new OpenAiException(OpenAiException.Kind.ERROR_EVENT, code, "error in stream: " + errorMessage(node), null);
            }
            String content = f.hasDelta ? f.deltaContent : f.text;
            return new ChatChunk(f.id, f.model, f.hasDelta ? f.role : null, content, f.finish, f.usage, f.hasChoice);
        } catch (IOException e) {
            throw new OpenAiException(OpenAiException.Kind.MALFORMED_STREAM, 0,
                    "malformed JSON: " + abbreviate(data, offset, length), e);
        }
    }

    /** What one chunk's fields said, in whatever order they came. */
    private static final class ChunkFields {
        String id;
        String model;
        String role;
        String deltaContent;
        String text;
        String finish;
        Usage usage;
        boolean hasChoice;
        boolean hasDelta;
        boolean error;
        boolean errorObject;
    }

    private static void choices(JsonParser p, JsonToken value, ChunkFields f) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken element = p.nextToken();
        if (element == JsonToken.END_ARRAY) {
            return;
        }
        f.hasChoice = true;
        if (element == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "delta" -> delta(p, v, f);
                    case "text" -> f.text = text(p, v);
                    case "finish_reason" -> f.finish = text(p, v);
                    default -> p.skipChildren();
                }
            }
        } else {
            p.skipChildren();
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
        }
    }

    private static void delta(JsonParser p, JsonToken value, ChunkFields f) throws IOException {
        f.hasDelta = true;
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "role" -> f.role = text(p, v);
                case "content" -> f.deltaContent = text(p, v);
                default -> p.skipChildren();
            }
        }
    }

    private static Usage usage(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        int prompt = 0;
        int completion = 0;
        int total = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            int n = v.isNumeric() ? p.getValueAsInt() : v == JsonToken.VALUE_STRING ? p.getValueAsInt(0) : 0;
            p.skipChildren();
            switch (field) {
                case "prompt_tokens" -> prompt = n;
                case "completion_tokens" -> completion = n;
                case "total_tokens" -> total = n;
                default -> { }
            }
        }
        return new Usage(prompt, completion, total);
    }

    /** A scalar's text as {@link JsonNode#asText()} gives it; null for JSON null; "" for an object or array. */
    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value.isStructStart()) {
            p.skipChildren();
            return "";
        }
        return p.getText();
    }

    private static String abbreviate(byte[] data, int offset, int length) {
        return abbreviate(new String(data, offset, Math.min(length, 480), StandardCharsets.UTF_8));
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
