package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;

/** RFC 6902 JSON Patch (add, remove, replace, move, copy, test) on a Jackson tree. */
final class JsonPatch {
    private JsonPatch() {}

    static void apply(ObjectNode target, ArrayNode operations, String source) {
        for (JsonNode op : operations) {
            String name = op.path("op").asText();
            String path = op.path("path").asText(null);
            if (path == null) {
                throw new InvalidInputException(source + ": JSON patch operation without 'path': " + op);
            }
            switch (name) {
                case "add" -> add(target, path, value(op, source), source);
                case "remove" -> remove(target, path, source);
                case "replace" -> {
                    remove(target, path, source);
                    add(target, path, value(op, source), source);
                }
                case "move" -> {
                    String from = op.path("from").asText();
                    JsonNode moved = get(target, from, source);
                    remove(target, from, source);
                    add(target, path, moved, source);
                }
                case "copy" -> add(target, path, get(target, op.path("from").asText(), source).deepCopy(), source);
                case "test" -> {
                    if (!get(target, path, source).equals(value(op, source))) {
                        throw new InvalidInputException(source + ": JSON patch test failed at " + path);
                    }
                }
                default -> throw new InvalidInputException(source + ": unknown JSON patch operation '" + name + "'");
            }
        }
    }

    private static JsonNode value(JsonNode op, String source) {
        if (!op.has("value")) {
            throw new InvalidInputException(source + ": JSON patch operation '" + op.path("op").asText() + "' needs a 'value'");
        }
        return op.get("value").deepCopy();
    }

    static List<String> tokens(String pointer) {
        List<String> tokens = new ArrayList<>();
        if (pointer.isEmpty()) {
            return tokens;
        }
        for (String t : pointer.substring(1).split("/", -1)) {
            tokens.add(t.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static JsonNode get(JsonNode root, String pointer, String source) {
        return get(root, pointer, pointer, source);
    }

    /** The node at {@code pointer}; a missing node is reported as {@code reported} (the operation's own path). */
    private static JsonNode get(JsonNode root, String pointer, String reported, String source) {
        JsonNode node = root;
        for (String token : tokens(pointer)) {
            node = node.isArray() ? node.get(index(token, node.size(), reported, source)) : node.get(token);
            if (node == null) {
                throw missing(reported, source);
            }
        }
        return node;
    }

    private static void add(ObjectNode root, String pointer, JsonNode value, String source) {
        List<String> tokens = tokens(pointer);
        if (tokens.isEmpty()) {
            throw new InvalidInputException(source + ": cannot replace a whole object with a JSON patch");
        }
        JsonNode parent = get(root, pointerOf(tokens.subList(0, tokens.size() - 1)), pointer, source);
        String last = tokens.get(tokens.size() - 1);
        if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value);
            } else {
                array.insert(index(last, array.size() + 1, pointer, source), value);
            }
        } else if (parent instanceof ObjectNode map) {
            map.set(last, value);
        } else {
            throw missing(pointer, source);
        }
    }

    private static void remove(ObjectNode root, String pointer, String source) {
        List<String> tokens = tokens(pointer);
        JsonNode parent = get(root, pointerOf(tokens.subList(0, tokens.size() - 1)), pointer, source);
        String last = tokens.get(tokens.size() - 1);
        if (parent instanceof ArrayNode array) {
            array.remove(index(last, array.size(), pointer, source));
        } else if (parent instanceof ObjectNode map && map.has(last)) {
            map.remove(last);
        } else {
            throw missing(pointer, source);
        }
    }

    private static int index(String token, int size, String pointer, String source) {
        try {
            int i = Integer.parseInt(token);
            if (i >= 0 && i < size) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw missing(pointer, source);
    }

    private static String pointerOf(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        tokens.forEach(t -> sb.append('/').append(t.replace("~", "~0").replace("/", "~1")));
        return sb.toString();
    }

    private static InvalidInputException missing(String pointer, String source) {
        return new InvalidInputException(source + ": JSON patch path " + pointer + " does not exist in the target");
    }
}
