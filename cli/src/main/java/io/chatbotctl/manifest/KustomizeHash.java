package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The name suffix kustomize gives generated ConfigMaps and Secrets (sigs.k8s.io/kustomize/api/hasher): SHA-256 of
 * a JSON encoding of kind, data (and binaryData / stringData, type for Secrets) with keys sorted and Go's HTML
 * escaping, hex, first 10 characters with 0, 1, 3, a, e replaced by g, h, k, m, t (no vowels, no look-alikes).
 * kustomize 5 hashes a generated object before naming it, so the name in the encoding is empty.
 */
final class KustomizeHash {
    private KustomizeHash() {}

    static String of(ObjectNode object) {
        Map<String, Object> fields = new TreeMap<>();
        String kind = KubeObjects.kind(object);
        fields.put("kind", kind);
        fields.put("name", "");
        fields.put("data", object.has("data") && object.get("data").isObject() ? object.get("data") : "");
        if (kind.equals("Secret")) {
            JsonNode type = object.get("type");
            fields.put("type", type == null || type.isNull() ? "" : type.asText());
            if (object.get("stringData") instanceof ObjectNode stringData) {
                fields.put("stringData", stringData);
            }
        } else if (object.get("binaryData") instanceof ObjectNode binaryData) {
            fields.put("binaryData", binaryData);
        }
        StringBuilder json = new StringBuilder();
        writeValue(json, fields);
        return encode(sha256Hex(json.toString()));
    }

    static String encode(String hex) {
        char[] chars = hex.substring(0, 10).toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = switch (chars[i]) {
                case '0' -> 'g';
                case '1' -> 'h';
                case '3' -> 'k';
                case 'a' -> 'm';
                case 'e' -> 't';
                default -> chars[i];
            };
        }
        return new String(chars);
    }

    private static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's encoding/json: map keys sorted, HTML characters escaped. */
    private static void writeValue(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, e.getKey().toString());
                out.append(':');
                writeValue(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof ObjectNode node) {
            Map<String, Object> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), e.getValue());
            }
            writeValue(out, sorted);
        } else if (value instanceof JsonNode node) {
            if (node.isTextual()) {
                writeString(out, node.asText());
            } else if (node.isNull()) {
                out.append("null");
            } else {
                out.append(node.asText());
            }
        } else {
            writeString(out, value.toString());
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(out, c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HexFormat.of().toHexDigits(c));
    }
}
