package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** configMapGenerator and secretGenerator: literals, files and env files into ConfigMaps and Secrets. */
final class Generators {
    private Generators() {}

    private static final Set<String> GENERATOR_FIELDS = Set.of("name", "namespace", "behavior", "literals", "files",
            "envs", "env", "options", "type");
    private static final Set<String> OPTION_FIELDS = Set.of("labels", "annotations", "disableNameSuffixHash", "immutable");

    /** Runs both generators of a kustomization, adding or merging into {@code resources}. */
    static void run(Kustomization k, ResourceSet resources) {
        ObjectNode global = k.map("generatorOptions");
        checkFields(k, global, OPTION_FIELDS, "generatorOptions");
        for (JsonNode args : k.list("configMapGenerator")) {
            generate(k, args, global, false, resources);
        }
        for (JsonNode args : k.list("secretGenerator")) {
            generate(k, args, global, true, resources);
        }
    }

    private static void generate(Kustomization k, JsonNode args, ObjectNode global, boolean secret, ResourceSet resources) {
        String field = secret ? "secretGenerator" : "configMapGenerator";
        if (!(args instanceof ObjectNode spec)) {
            throw k.error("each " + field + " entry must be a mapping");
        }
        checkFields(k, spec, GENERATOR_FIELDS, field);
        String name = spec.path("name").asText(null);
        if (name == null || name.isEmpty()) {
            throw k.error(field + " entry without a name");
        }
        ObjectNode options = spec.get("options") instanceof ObjectNode o ? o : null;
        checkFields(k, options, OPTION_FIELDS, field + "." + name + ".options");

        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, String> binary = new LinkedHashMap<>();
        for (JsonNode env : envFiles(spec)) {
            readEnvFile(k, k.dir().resolve(env.asText()), entries);
        }
        for (JsonNode literal : spec.path("literals")) {
            String text = literal.asText();
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw k.error(field + " " + name + ": literal '" + text + "' is not KEY=VALUE");
            }
            put(k, entries, text.substring(0, eq), unquote(text.substring(eq + 1)), name);
        }
        for (JsonNode fileSource : spec.path("files")) {
            String text = fileSource.asText();
            int eq = text.indexOf('=');
            String key = eq > 0 ? text.substring(0, eq) : Path.of(text).getFileName().toString();
            Path file = k.dir().resolve(eq > 0 ? text.substring(eq + 1) : text);
            byte[] bytes = read(k, file);
            String utf8 = decodeUtf8(bytes);
            if (utf8 == null || secret) {
                if (secret) {
                    put(k, entries, key, new String(bytes, StandardCharsets.ISO_8859_1), name);
                    binary.put(key, Base64.getEncoder().encodeToString(bytes));
                } else {
                    binary.put(key, Base64.getEncoder().encodeToString(bytes));
                }
            } else {
                put(k, entries, key, utf8, name);
            }
        }

        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("apiVersion", "v1");
        object.put("kind", secret ? "Secret" : "ConfigMap");
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        if (spec.hasNonNull("namespace")) {
            metadata.put("namespace", spec.get("namespace").asText());
        }
        addAll(metadata, "labels", global, options);
        addAll(metadata, "annotations", global, options);
        if (secret) {
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            entries.forEach((key, value) -> data.put(key, wrap(binary.containsKey(key) ? binary.get(key)
                    : Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))));
            if (!data.isEmpty()) {
                object.set("data", data);
            }
            object.put("type", spec.path("type").asText("Opaque"));
        } else {
            if (!entries.isEmpty()) {
                ObjectNode data = object.putObject("data");
                entries.forEach(data::put);
            }
            if (!binary.isEmpty()) {
                ObjectNode data = object.putObject("binaryData");
                binary.forEach(data::put);
            }
        }
        if (flag(global, options, "immutable")) {
            object.put("immutable", true);
        }
        boolean hash = !flag(global, options, "disableNameSuffixHash");
        String behavior = spec.path("behavior").asText("create");
        resources.addGenerated(k, object, hash, behavior);
    }

    /** kustomize breaks base64 longer than 70 characters into lines of 70, each ending in a newline. */
    private static String wrap(String base64) {
        if (base64.length() <= 70) {
            return base64;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < base64.length(); i += 70) {
            sb.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
        }
        return sb.toString();
    }

    private static List<JsonNode> envFiles(ObjectNode spec) {
        List<JsonNode> files = new java.util.ArrayList<>();
        spec.path("envs").forEach(files::add);
        if (spec.hasNonNull("env")) {
            files.add(spec.get("env"));
        }
        return files;
    }

    private static void readEnvFile(Kustomization k, Path file, Map<String, String> entries) {
        String text = new String(read(k, file), StandardCharsets.UTF_8);
        for (String raw : text.split("\n")) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            String trimmed = line.stripLeading();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw k.error("env file " + file + ": line '" + line + "' is not KEY=VALUE");
            }
            put(k, entries, trimmed.substring(0, eq), trimmed.substring(eq + 1), file.toString());
        }
    }

    private static void put(Kustomization k, Map<String, String> entries, String key, String value, String what) {
        if (entries.containsKey(key)) {
            throw k.error(what + ": key '" + key + "' is given twice");
        }
        entries.put(key, value);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static byte[] read(Kustomization k, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw k.error("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void addAll(ObjectNode metadata, String field, ObjectNode global, ObjectNode options) {
        for (ObjectNode source : new ObjectNode[]{global, options}) {
            if (source != null && source.get(field) instanceof ObjectNode values && !values.isEmpty()) {
                ObjectNode target = metadata.has(field) ? (ObjectNode) metadata.get(field) : metadata.putObject(field);
                values.fields().forEachRemaining(e -> target.put(e.getKey(), e.getValue().asText()));
            }
        }
    }

    private static boolean flag(ObjectNode global, ObjectNode options, String field) {
        if (options != null && options.has(field)) {
            return options.get(field).asBoolean();
        }
        return global != null && global.path(field).asBoolean(false);
    }

    static void checkFields(Kustomization k, ObjectNode node, Set<String> allowed, String where) {
        if (node == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw k.error("field '" + where + "." + f + "' is not supported by chatbotctl render");
            }
        }
    }
}
