package io.chatbotctl.canary;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.Durations;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.UnknownFields;
import io.chatbotctl.core.Percentages;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads an analysis file ({@code docs/canary.md} describes the fields). The built-in default is the resource
 * {@code cli/src/main/resources/io/chatbotctl/canary/analysis.yaml}. Errors name the file and the field.
 */
public final class AnalysisLoader {
    private static final String HINT = "see docs/canary.md for the analysis file";
    public static final String BUILT_IN = "built-in";
    private static final String RESOURCE = "/io/chatbotctl/canary/analysis.yaml";
    private static final Set<String> TOP = Set.of("rateWindow", "resolution", "confidence", "effectFraction",
            "passScore", "marginalScore", "failureLimit", "inconclusiveLimit", "metrics");
    private static final Set<String> METRIC = Set.of("name", "query", "unit", "direction", "threshold", "tolerance", "minShift",
            "critical", "minSamples", "weight");

    /** The built-in default analysis. */
    public static Analysis builtIn() {
        try (InputStream in = AnalysisLoader.class.getResourceAsStream(RESOURCE)) {
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), BUILT_IN);
        } catch (IOException e) {
            throw new IllegalStateException("the built-in analysis is missing from the jar", e);
        }
    }

    /** The built-in analysis' text, e.g. to start a custom file from. */
    public static String builtInText() {
        try (InputStream in = AnalysisLoader.class.getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Analysis load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the analysis file " + file + ": " + e.getMessage(),
                    "pass an existing file to --analysis, or leave it out for the built-in analysis");
        }
        return parse(text, file.toString());
    }

    public static Analysis parse(String yaml, String source) {
        JsonNode root;
        try {
            root = Json.yaml().readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException(source + ":" + e.getLocation().getLineNr() + ": not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse("").strip(), "see docs/canary.md");
        }
        if (root == null || !root.isObject()) {
            throw invalid(source, "(top)", "must be a mapping with a metrics list");
        }
        UnknownFields.reject(root, TOP, source, "", HINT);
        JsonNode metricsNode = root.path("metrics");
        if (!metricsNode.isArray() || metricsNode.isEmpty()) {
            throw invalid(source, "metrics", "must be a non-empty list");
        }
        List<MetricSpec> metrics = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < metricsNode.size(); i++) {
            MetricSpec m = metric(metricsNode.get(i), source, "metrics[" + i + "]");
            if (!names.add(m.name())) {
                throw invalid(source, "metrics[" + i + "].name", "'" + m.name() + "' appears twice");
            }
            metrics.add(m);
        }
        double confidence = number(root, "confidence", 0.98, source, "");
        if (!(confidence > 0.5 && confidence < 1)) {
            throw invalid(source, "confidence", "must be between 0.5 and 1, e.g. 0.98");
        }
        double pass = number(root, "passScore", 95, source, "");
        double marginal = number(root, "marginalScore", 75, source, "");
        if (pass < 0 || pass > 100 || marginal < 0 || marginal > pass) {
            throw invalid(source, "marginalScore", "needs 0 ≤ marginalScore ≤ passScore ≤ 100");
        }
        Duration rateWindow = duration(root, "rateWindow", Duration.ofMinutes(1), source);
        Duration resolution = duration(root, "resolution", null, source);
        if (resolution != null && resolution.compareTo(rateWindow) < 0) {
            throw invalid(source, "resolution", "must be at least the rateWindow (" + CanaryWatch.promDuration(rateWindow)
                    + "): samples closer than their rate() window share data and are not independent");
        }
        return new Analysis(source, rateWindow, resolution,
                confidence,
                nonNegative(root, "effectFraction", 0.25, source, ""),
                pass, marginal,
                positiveInt(root, "failureLimit", 2, source, ""),
                positiveInt(root, "inconclusiveLimit", 2, source, ""),
                List.copyOf(metrics));
    }

    private static MetricSpec metric(JsonNode node, String source, String path) {
        if (!node.isObject()) {
            throw invalid(source, path, "must be a mapping with name and query");
        }
        UnknownFields.reject(node, METRIC, source, path + ".", HINT);
        String name = text(node, "name", source, path);
        String query = text(node, "query", source, path);
        if (!query.contains("{{track}}")) {
            throw invalid(source, path + ".query", "must select the track with {{track}}");
        }
        Direction direction;
        try {
            direction = Direction.of(node.path("direction").asText("increase"));
        } catch (IllegalArgumentException e) {
            throw invalid(source, path + ".direction", "must be increase or decrease (the direction that is worse)");
        }
        Double threshold = node.has("threshold") && !node.get("threshold").isNull()
                ? number(node, "threshold", 0, source, path + ".") : null;
        double tolerance = 0.1;
        if (node.has("tolerance")) {
            try {
                tolerance = Percentages.parseFraction(node.get("tolerance").asText());
            } catch (ChatbotctlException e) {
                throw invalid(source, path + ".tolerance", "must be a percentage like 20% or a fraction like 0.2");
            }
        }
        return new MetricSpec(name, query, node.path("unit").asText(""), direction, threshold, tolerance,
                nonNegative(node, "minShift", 0, source, path + "."),
                node.path("critical").asBoolean(false),
                positiveInt(node, "minSamples", 5, source, path + "."),
                nonNegative(node, "weight", 1, source, path + "."));
    }

    private static String text(JsonNode node, String field, String source, String path) {
        String value = node.path(field).asText("").trim();
        if (value.isEmpty()) {
            throw invalid(source, path + "." + field, "is required");
        }
        return value;
    }

    private static double number(JsonNode node, String field, double fallback, String source, String prefix) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw invalid(source, prefix + field, "must be a number, not '" + v.asText() + "'");
        }
        return v.asDouble();
    }

    private static double nonNegative(JsonNode node, String field, double fallback, String source, String prefix) {
        double v = number(node, field, fallback, source, prefix);
        if (v < 0) {
            throw invalid(source, prefix + field, "must not be negative");
        }
        return v;
    }

    private static int positiveInt(JsonNode node, String field, int fallback, String source, String prefix) {
        double v = number(node, field, fallback, source, prefix);
        if (v < 1 || v != Math.rint(v)) {
            throw invalid(source, prefix + field, "must be a whole number ≥ 1");
        }
        return (int) v;
    }

    private static Duration duration(JsonNode node, String field, Duration fallback, String source) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        try {
            return Durations.parse(v.asText());
        } catch (ChatbotctlException e) {
            throw invalid(source, field, "must be a duration like 30s or 1m");
        }
    }

    private static InvalidInputException invalid(String source, String field, String problem) {
        return new InvalidInputException(source + ": " + field + ": " + problem, HINT);
    }
}
