package io.chatbotctl.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reading and writing Kubernetes YAML the way kustomize does: many documents per file, keys sorted on output. */
final class ManifestYaml {
    private ManifestYaml() {}

    private static final class Holder {
        // Like kubectl: yes/no/on/off stay strings (only true/false are booleans).
        static final ObjectMapper READER = new ObjectMapper(YAMLFactory.builder()
                .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                .build());
    }

    static ObjectMapper reader() {
        return Holder.READER;
    }

    /** Every non-empty document of a YAML file; each must be a mapping. */
    static List<ObjectNode> readObjects(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
        return readObjects(text, file.toString());
    }

    static List<ObjectNode> readObjects(String text, String source) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = reader().readerFor(JsonNode.class).readValues(text)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isTextual() && doc.asText().isEmpty()) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new InvalidInputException(source + ": a document is not a mapping (found " + doc.getNodeType() + ")");
                }
                objects.add((ObjectNode) doc);
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source + ": invalid YAML: " + firstLine(e.getOriginalMessage())
                    + location(e), "fix the YAML syntax");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + source + ": " + e.getMessage());
        }
        return objects;
    }

    /** One YAML document that must be a mapping (a kustomization, a patch). */
    static ObjectNode readObject(String text, String source) {
        List<ObjectNode> docs = readObjects(text, source);
        if (docs.size() != 1) {
            throw new InvalidInputException(source + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    static JsonNode readTree(String text, String source) {
        try {
            return reader().readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source + ": invalid YAML: " + firstLine(e.getOriginalMessage()) + location(e));
        }
    }

    static String write(List<ObjectNode> objects) {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode o : objects) {
            if (sb.length() > 0) {
                sb.append("---\n");
            }
            sb.append(YamlEmitter.write(o));
        }
        return sb.toString();
    }

    static String writeJsonList(List<ObjectNode> objects) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        objects.forEach(o -> list.add(sorted(o)));
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(list) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy with every mapping's keys in byte order, as kustomize prints them. */
    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(sorted(n)));
            return copy;
        }
        return node;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }
}
