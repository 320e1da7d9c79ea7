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

        Map<String, byte[]> values = new LinkedHashMap<>();
        for (JsonNode env : envFiles(spec)) {
            readEnvFile(k, k.dir().resolve(env.asText()), values);
        }
        for (JsonNode literal : spec.path("literals")) {
            String text = literal.asText();
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw k.error(field + " " + name + ": literal '" + text + "' is not KEY=VALUE");
            }
            put(k, values, text.substring(0, eq), utf8(unquote(text.substring(eq + 1))), name);
        }
        for (JsonNode fileSource : spec.path("files")) {
            String text = fileSource.asText();
            int eq = text.indexOf('=');
            String key = eq > 0 ? text.substring(0, eq) : Path.of(text).getFileName().toString();
            put(k, values, key, read(k, k.dir().resolve(eq > 0 ? text.substring(eq + 1) : text)), name);
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
            if (!values.isEmpty()) {
                ObjectNode data = object.putObject("data");
                values.forEach((key, bytes) -> data.put(key, wrap(Base64.getEncoder().encodeToString(bytes))));
            }
            object.put("type", spec.path("type").asText("Opaque"));
        } else {
            // Text goes to data; bytes that are not UTF-8 go to binaryData, base64-encoded.
            values.forEach((key, bytes) -> {
                String text = decodeUtf8(bytes);
                String target = text != null ? "data" : "binaryData";
                ObjectNode map = object.get(target) instanceof ObjectNode m ? m : object.putObject(target);
                map.put(key, text != null ? text : Base64.getEncoder().encodeToString(bytes));
            });
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

    private static void readEnvFile(Kustomization k, Path file, Map<String, byte[]> entries) {
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
            put(k, entries, trimmed.substring(0, eq), utf8(trimmed.substring(eq + 1)), file.toString());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(Kustomization k, Map<String, byte[]> entries, String key, byte[] value, String what) {
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
        // generatorOptions first, then the generator's own options, which win.
        for (ObjectNode source : new ObjectNode[]{global, options}) {
            if (source != null && source.get(field) instanceof ObjectNode values && !values.isEmpty()) {
                ObjectNode target = metadata.has(field) ? (ObjectNode) metadata.get(field) : metadata.putObject(field);
                values.fields().forEachRemaining(e -> target.put(e.getKey(), e.getValue().asText()));
            }
        }
    }

    /** A flag set in either the generator's options or generatorOptions (kustomize ORs them). */
    private static boolean flag(ObjectNode global, ObjectNode options, String field) {
        return options != null && options.path(field).asBoolean(false)
                || global != null && global.path(field).asBoolean(false);
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
