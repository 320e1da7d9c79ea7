package io.chatbotctl.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.util.List;

/** {@code is-json} and {@code contains-json}, with an optional JSON Schema (draft 2020-12 unless it says {@code $schema}). */
final class JsonChecks {
    private JsonChecks() {}

    /** The whole answer (surrounding whitespace aside) parses as one JSON value. */
    static JsonNode wholeJson(String text) {
        try (JsonParser parser = Json.mapper().getFactory().createParser(text.strip())) {
            JsonNode node = Json.mapper().readTree(parser);
            return parser.nextToken() == null ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The first JSON object or array found in the text that parses (and matches the schema when there is one). */
    static Found firstJson(String text, Schema schema) {
        String firstProblem = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '{' && c != '[') {
                continue;
            }
            JsonNode node = parsePrefix(text.substring(i));
            if (node == null) {
                continue;
            }
            String problem = schema == null ? null : validate(schema, node);
            if (problem == null) {
                return new Found(node, null);
            }
            if (firstProblem == null) {
                firstProblem = problem;
            }
        }
        return new Found(null, firstProblem);
    }

    record Found(JsonNode node, String schemaProblem) {
    }

    private static JsonNode parsePrefix(String text) {
        try (JsonParser parser = Json.mapper().getFactory().createParser(text)) {
            return Json.mapper().readTree(parser);
        } catch (IOException e) {
            return null;
        }
    }

    static Schema schema(JsonNode schema) {
        Schema compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
        compiled.initializeValidators();
        return compiled;
    }

    /** A schema that cannot be compiled, as a message; null when it compiles. */
    static String schemaProblem(JsonNode schema) {
        if (!schema.isObject() && !schema.isBoolean()) {
            return "'schema' must be a JSON Schema object";
        }
        try {
            schema(schema);
            return null;
        } catch (RuntimeException e) {
            return "invalid JSON Schema: " + e.getMessage();
        }
    }

    /** The first violation, or null when the node matches. */
    static String validate(Schema schema, JsonNode node) {
        List<Error> errors = schema.validate(node);
        if (errors.isEmpty()) {
            return null;
        }
        Error first = errors.get(0);
        return first.getMessage() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
    }
}
