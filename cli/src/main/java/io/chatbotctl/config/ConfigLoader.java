package io.chatbotctl.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.UnknownFields;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds, reads and validates {@code chatbotctl.yaml}. Errors name the file, the line and the field:
 * {@code chatbotctl.yaml:12: environments.production.namespace: must not be empty}.
 */
public final class ConfigLoader {
    public static final String FILE_NAME = "chatbotctl.yaml";
    public static final String DEFAULT_NAMESPACE = "ai-serving";
    public static final String DEFAULT_SERVICE = "vllm-chatbot";
    public static final String DEFAULT_MODEL = io.chatbotctl.core.Defaults.MODEL;

    private static final Set<String> TOP_FIELDS = Set.of("service", "model", "names", "environments", "proxy", "gateway");
    private static final Set<String> NAME_FIELDS = Set.of("service", "httpRoute", "hpa", "configMap", "appLabel", "trackLabel");
    private static final Set<String> PROXY_FIELDS = Set.of("upstream", "listen", "metricsListen", "keys", "redis",
            "redisFailure", "systemPrompt", "systemPromptPolicy", "maxBody", "maxInputTokens", "maxTokensCeiling",
            "servedModel", "logBodies", "upstreamTimeout");
    private static final List<String> ENV_FIELDS = List.of(
            "context", "namespace", "overlay", "endpoint", "prometheus", "modelUri", "imageRepository", "region", "metricsUrl",
            "access");

    private final Map<String, String> environment;
    private final Path workingDir;

    public ConfigLoader(Map<String, String> environment, Path workingDir) {
        this.environment = environment;
        this.workingDir = workingDir;
    }

    public static ConfigLoader fromSystem() {
        return new ConfigLoader(System.getenv(), Path.of("").toAbsolutePath());
    }

    /** The config file in use: {@code --config}, then {@code CHATBOTCTL_CONFIG}, then the nearest {@code chatbotctl.yaml} upwards. */
    public Path locate(ConfigOverrides overrides) {
        String explicit = overrides.configFile() != null ? overrides.configFile() : environment.get("CHATBOTCTL_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            Path path = workingDir.resolve(explicit).normalize();
            if (!Files.isRegularFile(path)) {
                throw new InvalidInputException("config file " + explicit + " does not exist",
                        "pass an existing file to --config, or unset CHATBOTCTL_CONFIG");
            }
            return path;
        }
        for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    public ProjectConfig load(ConfigOverrides overrides) {
        Path file = locate(overrides);
        ProjectConfig fileConfig = file == null ? defaults() : read(file);
        return applyOverrides(fileConfig, overrides);
    }

    /** Resolves the environment chosen by {@code --env} / {@code CHATBOTCTL_ENV}; null when neither is set. */
    public EnvironmentConfig selectedEnvironment(ProjectConfig config, ConfigOverrides overrides) {
        String name = firstNonBlank(overrides.env(), environment.get("CHATBOTCTL_ENV"));
        return name == null ? null : config.environment(name);
    }

    /** Like {@link #selectedEnvironment} but required: a command that needs an environment says so. */
    public EnvironmentConfig requiredEnvironment(ProjectConfig config, ConfigOverrides overrides) {
        EnvironmentConfig env = selectedEnvironment(config, overrides);
        if (env == null) {
            throw new InvalidInputException("no environment selected",
                    "pass --env " + String.join("|", config.environments().keySet()) + " or set CHATBOTCTL_ENV");
        }
        return env;
    }

    public static ProjectConfig defaults() {
        Map<String, EnvironmentConfig> envs = new LinkedHashMap<>();
        envs.put("local", new EnvironmentConfig("local", null, DEFAULT_NAMESPACE, null,
                "http://127.0.0.1:8000/v1", "http://127.0.0.1:9090", null, "vllm/vllm-openai", null, null));
        return new ProjectConfig("(built-in defaults)", DEFAULT_SERVICE, DEFAULT_MODEL, WorkloadNames.defaults(), envs);
    }

    ProjectConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
        String name = displayName(file);
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root = parse(text, name, lines);
        Validation v = new Validation(name, lines);
        if (root == null || root.isNull() || root.isMissingNode()) {
            v.fail("", "the file is empty");
        }
        if (!root.isObject()) {
            v.fail("", "must be a mapping with service, model and environments");
        }
        unknownFields(root, TOP_FIELDS, "", v);
        String service = optionalText(root, "service", "", v, DEFAULT_SERVICE);
        String model = optionalText(root, "model", "", v, DEFAULT_MODEL);
        WorkloadNames names = readNames(root.get("names"), service, v);
        JsonNode envs = root.get("environments");
        if (envs == null || !envs.isObject() || envs.isEmpty()) {
            v.fail("environments", "must list at least one environment");
        }
        Path baseDir = file.toAbsolutePath().getParent();
        Map<String, EnvironmentConfig> environments = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = envs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            environments.put(entry.getKey(), readEnvironment(entry.getKey(), entry.getValue(), baseDir, v));
        }
        return new ProjectConfig(name, service, model, names, environments, readProxy(root.get("proxy"), baseDir, v),
                gateway(root.get("gateway"), v));
    }

    private static ProxyConfig readProxy(JsonNode node, Path baseDir, Validation v) {
        if (node == null || node.isNull()) {
            return ProxyConfig.EMPTY;
        }
        if (!node.isObject()) {
            v.fail("proxy", "must be a mapping");
        }
        unknownFields(node, PROXY_FIELDS, "proxy", v);
        String keys = optionalText(node, "keys", "proxy", v, null);
        String prompt = optionalText(node, "systemPrompt", "proxy", v, null);
        JsonNode logBodies = node.get("logBodies");
        if (logBodies != null && !logBodies.isBoolean()) {
            v.fail("proxy.logBodies", "must be true or false");
        }
        return new ProxyConfig(url(node, "upstream", "proxy", v), optionalText(node, "listen", "proxy", v, null),
                optionalText(node, "metricsListen", "proxy", v, null),
                keys == null ? null : baseDir.resolve(keys).normalize().toString(),
                optionalText(node, "redis", "proxy", v, null), optionalText(node, "redisFailure", "proxy", v, null),
                prompt == null ? null : baseDir.resolve(prompt).normalize().toString(),
                optionalText(node, "systemPromptPolicy", "proxy", v, null),
                optionalText(node, "maxBody", "proxy", v, null), positiveInt(node, "maxInputTokens", v),
                positiveInt(node, "maxTokensCeiling", v), optionalText(node, "servedModel", "proxy", v, null),
                logBodies == null ? null : logBodies.asBoolean(), optionalText(node, "upstreamTimeout", "proxy", v, null));
    }

    private static Integer positiveInt(JsonNode node, String field, Validation v) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() <= 0) {
            v.fail("proxy." + field, "must be a positive whole number");
        }
        return value.asInt();
    }

    /** The {@code names:} block; the Deployment is the top-level {@code service}. */
    private static WorkloadNames readNames(JsonNode node, String deployment, Validation v) {
        WorkloadNames d = WorkloadNames.defaults(deployment);
        if (node == null || node.isNull()) {
            return d;
        }
        if (!node.isObject()) {
            v.fail("names", "must be a mapping");
        }
        unknownFields(node, NAME_FIELDS, "names", v);
        String appLabel = optionalText(node, "appLabel", "names", v, d.appLabel());
        if (!appLabel.matches("[^=\\s]+=[^=\\s]+")) {
            v.fail("names.appLabel", "'" + appLabel + "' is not key=value");
        }
        WorkloadNames names = new WorkloadNames(deployment,
                optionalText(node, "service", "names", v, d.service()),
                optionalText(node, "httpRoute", "names", v, d.httpRoute()),
                optionalText(node, "hpa", "names", v, d.hpa()),
                optionalText(node, "configMap", "names", v, d.configMap()),
                appLabel,
                optionalText(node, "trackLabel", "names", v, d.trackLabel()));
        for (String field : List.of("service", "httpRoute", "hpa", "configMap")) {
            String value = node.path(field).asText(null);
            if (value != null && !value.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                v.fail("names." + field, "'" + value + "' is not a valid object name (RFC 1123)");
            }
        }
        return names;
    }

    private EnvironmentConfig readEnvironment(String name, JsonNode node, Path baseDir, Validation v) {
        String path = "environments." + name;
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            v.fail(path, "environment names are lower-case letters, digits and '-'");
        }
        if (!node.isObject()) {
            v.fail(path, "must be a mapping");
        }
        unknownFields(node, Set.copyOf(ENV_FIELDS), path, v);
        String namespace = optionalText(node, "namespace", path, v, DEFAULT_NAMESPACE);
        if (namespace.isBlank()) {
            v.fail(path + ".namespace", "must not be empty");
        }
        if (!namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || namespace.length() > 63) {
            v.fail(path + ".namespace", "'" + namespace + "' is not a valid namespace name (RFC 1123 label)");
        }
        String overlay = optionalText(node, "overlay", path, v, null);
        if (overlay != null) {
            overlay = baseDir.resolve(overlay).normalize().toString();
        }
        String endpoint = url(node, "endpoint", path, v);
        String prometheus = url(node, "prometheus", path, v);
        String modelUri = optionalText(node, "modelUri", path, v, null);
        if (modelUri != null && !modelUri.startsWith("s3://")) {
            v.fail(path + ".modelUri", "must be an s3:// URI");
        }
        String access = optionalText(node, "access", path, v, null);
        if (access != null && !EnvironmentConfig.ACCESS_VALUES.contains(access)) {
            v.fail(path + ".access", "'" + access + "' is not one of " + String.join(", ", EnvironmentConfig.ACCESS_VALUES));
        }
        return new EnvironmentConfig(name,
                optionalText(node, "context", path, v, null),
                namespace, overlay, endpoint, prometheus, modelUri,
                optionalText(node, "imageRepository", path, v, null),
                optionalText(node, "region", path, v, null),
                url(node, "metricsUrl", path, v), access);
    }

    private static GatewaySettings gateway(JsonNode node, Validation v) {
        if (node == null || node.isNull()) {
            return GatewaySettings.DEFAULT;
        }
        if (!node.isObject()) {
            v.fail("gateway", "must be a mapping");
        }
        unknownFields(node, GatewaySettings.FIELDS, "gateway", v);
        String header = optionalText(node, "canaryHeader", "gateway", v, GatewaySettings.DEFAULT.canaryHeader());
        if (!GatewaySettings.validHeaderName(header)) {
            v.fail("gateway.canaryHeader", "'" + header + "' is not an HTTP header name");
        }
        return new GatewaySettings(header);
    }

    private ProjectConfig applyOverrides(ProjectConfig config, ConfigOverrides overrides) {
        String context = firstNonBlank(overrides.context(), environment.get("CHATBOTCTL_CONTEXT"));
        String namespace = firstNonBlank(overrides.namespace(), environment.get("CHATBOTCTL_NAMESPACE"));
        String endpoint = firstNonBlank(environment.get("CHATBOTCTL_ENDPOINT"));
        String prometheus = firstNonBlank(environment.get("CHATBOTCTL_PROMETHEUS"));
        String metricsUrl = firstNonBlank(environment.get("CHATBOTCTL_METRICS_URL"));
        if (context == null && namespace == null && endpoint == null && prometheus == null && metricsUrl == null) {
            return config;
        }
        Map<String, EnvironmentConfig> envs = new LinkedHashMap<>();
        config.environments().forEach((name, e) -> envs.put(name, new EnvironmentConfig(name,
                context != null ? context : e.context(),
                namespace != null ? namespace : e.namespace(),
                e.overlay(),
                endpoint != null ? endpoint : e.endpoint(),
                prometheus != null ? prometheus : e.prometheus(),
                e.modelUri(), e.imageRepository(), e.region(),
                metricsUrl != null ? metricsUrl : e.metricsUrl(), e.access())));
        return new ProjectConfig(config.source(), config.service(), config.model(), config.names(), envs, config.proxy(),
                config.gateway());
    }

    private String displayName(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(workingDir) ? workingDir.relativize(abs).toString() : abs.toString();
    }

    private static JsonNode parse(String text, String name, Map<String, Integer> lines) {
        YAMLFactory factory = new YAMLFactory();
        ObjectMapper mapper = new ObjectMapper(factory);
        try (JsonParser parser = factory.createParser(text)) {
            recordLines(parser, lines);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String line = loc == null ? "" : ":" + loc.getLineNr();
            throw new InvalidInputException(name + line + ": invalid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""),
                    "check the indentation and quoting near that line");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + name + ": " + e.getMessage());
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(name + ": invalid YAML: " + e.getOriginalMessage());
        }
    }

    /** Maps each field's dotted path to the line where its key stands. */
    private static void recordLines(JsonParser parser, Map<String, Integer> lines) throws IOException {
        Deque<String> path = new ArrayDeque<>();
        Deque<Boolean> inObject = new ArrayDeque<>();
        String pendingField = null;
        for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
            switch (t) {
                case FIELD_NAME -> {
                    pendingField = parser.currentName();
                    String full = path.isEmpty() ? pendingField : String.join(".", reversed(path)) + "." + pendingField;
                    lines.putIfAbsent(full, parser.currentTokenLocation().getLineNr());
                }
                case START_OBJECT, START_ARRAY -> {
                    if (pendingField != null) {
                        path.push(pendingField);
                        inObject.push(true);
                    } else {
                        inObject.push(false);
                    }
                    pendingField = null;
                }
                case END_OBJECT, END_ARRAY -> {
                    if (!inObject.isEmpty() && inObject.pop()) {
                        path.pop();
                    }
                }
                default -> pendingField = null;
            }
        }
    }

    private static List<String> reversed(Deque<String> path) {
        List<String> list = new java.util.ArrayList<>(path);
        java.util.Collections.reverse(list);
        return list;
    }

    private static void unknownFields(JsonNode node, Set<String> known, String path, Validation v) {
        String field = UnknownFields.first(node, known);
        if (field != null) {
            v.fail(join(path, field), UnknownFields.problem(known));
        }
    }

    private static String optionalText(JsonNode node, String field, String path, Validation v, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isValueNode() || value.isBoolean()) {
            v.fail(join(path, field), "must be a string");
        }
        return value.asText();
    }

    private static String url(JsonNode node, String field, String path, Validation v) {
        String value = optionalText(node, field, path, v, null);
        if (value == null) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            if (uri.getHost() == null || !(("http".equals(uri.getScheme())) || "https".equals(uri.getScheme()))) {
                v.fail(join(path, field), "'" + value + "' is not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            v.fail(join(path, field), "'" + value + "' is not a URL");
        }
        return value;
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private record Validation(String file, Map<String, Integer> lines) {
        void fail(String field, String message) {
            Integer line = lineOf(field);
            String where = file + (line == null ? "" : ":" + line);
            throw new InvalidInputException(where + ": " + (field.isEmpty() ? "" : field + ": ") + message,
                    "see docs/configuration.md");
        }

        private Integer lineOf(String field) {
            for (String f = field; !f.isEmpty(); f = f.contains(".") ? f.substring(0, f.lastIndexOf('.')) : "") {
                Integer line = lines.get(f);
                if (line != null) {
                    return line;
                }
            }
            return lines.isEmpty() ? null : 1;
        }
    }
}
