package io.chatbotctl.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The server-sent events of a streamed completion as bytes: where each complete event ends and what the proxy needs of
 * it (whether it carries text; whether it is the usage chunk), found in one pass over the bytes, and the usage chunk's
 * token counts, read without building a tree.
 */
final class StreamEvents {
    private static final byte[] USAGE = ascii("\"usage\":{");
    private static final byte[] NO_CHOICES = ascii("\"choices\":[]");
    private static final byte[] CONTENT = ascii("\"content\":\"");
    private static final byte[] TEXT = ascii("\"text\":\"");

    /** The event found by the last {@link #next} has a non-empty {@code content} (chat) or {@code text} field. */
    boolean text;
    /** The event found by the last {@link #next} is the usage chunk (it has a usage object and no choices). */
    boolean usage;

    /**
     * Finds the event that starts at {@code from}: returns where it ends (after the blank line that ends it) and sets
     * {@link #text} and {@link #usage}, or returns -1 when the bytes end before the event does.
     */
    int next(byte[] bytes, int from, int length) {
        boolean usageField = false;
        boolean noChoices = false;
        int content = -1;
        int textField = -1;
        for (int i = from; i < length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (i + 1 < length && bytes[i + 1] == '\n') {
                    int end = i + 2;
                    usage = usageField && noChoices;
                    text = !usage && (nonEmpty(bytes, content, CONTENT, end) || nonEmpty(bytes, textField, TEXT, end));
                    return end;
                }
            } else if (b == '"' && i + 1 < length) {
                switch (bytes[i + 1]) {
                    case 'u' -> usageField |= at(bytes, i, length, USAGE);
                    case 'c' -> {
                        noChoices |= at(bytes, i, length, NO_CHOICES);
                        content = content < 0 && at(bytes, i, length, CONTENT) ? i : content;
                    }
                    case 't' -> textField = textField < 0 && at(bytes, i, length, TEXT) ? i : textField;
                    default -> {
                    }
                }
            }
        }
        return -1;
    }

    /** The first {@code field} of the event (at {@code at}, -1 when none) is followed by a non-empty string. */
    private static boolean nonEmpty(byte[] bytes, int at, byte[] field, int end) {
        return at >= 0 && at + field.length < end && bytes[at + field.length] != '"';
    }

    private static boolean at(byte[] bytes, int i, int length, byte[] needle) {
        if (i + needle.length > length) {
            return false;
        }
        for (int j = 2; j < needle.length; j++) { // the quote and the first letter are known
            if (bytes[i + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The usage chunk's {@code usage.prompt_tokens} and {@code usage.completion_tokens} (0 when absent or not numbers,
     * as Jackson's {@code JsonNode.asLong()} reads them), or null when its JSON is malformed.
     */
    static long[] usage(byte[] bytes, int from, int to) {
        int brace = from;
        while (brace < to && bytes[brace] != '{') {
            brace++;
        }
        long prompt = 0;
        long completion = 0;
        try (JsonParser p = Json.mapper().getFactory().createParser(bytes, brace, to - brace)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return new long[] {0, 0};
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isUsage = p.currentName().equals("usage");
                JsonToken value = p.nextToken();
                if (!isUsage) {
                    p.skipChildren();
                    continue;
                }
                prompt = 0; // a repeated key: the last one counts, as in a tree
                completion = 0;
                if (value != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("prompt_tokens")) {
                        prompt = asLong(p);
                    } else if (name.equals("completion_tokens")) {
                        completion = asLong(p);
                    } else {
                        p.skipChildren();
                    }
                }
            }
            return new long[] {prompt, completion};
        } catch (IOException e) {
            return null;
        }
    }

    /** The current value as {@code JsonNode.asLong()} reads it. */
    private static long asLong(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? p.getBigIntegerValue().longValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> (long) p.getDoubleValue();
            case VALUE_STRING -> NumberInput.parseAsLong(p.getText(), 0);
            case VALUE_TRUE -> 1;
            case START_OBJECT, START_ARRAY -> {
                p.skipChildren();
                yield 0;
            }
            default -> 0;
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
