package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.Durations;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.UnknownFields;
import io.chatbotctl.core.Percentages;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The gate's rules, from {@code evals/thresholds.yaml} (reference in docs/eval.md). Rates accept {@code 90%} or
 * {@code 0.9}; a rule left out is not checked, except {@code critical_must_pass} (default true) and
 * {@code min_cases} (default 1).
 */
public record Thresholds(Double minPassRate, Double minPassRateLowerBound, Map<String, Double> categories,
                         boolean criticalMustPass, Duration maxLatencyP95, Double maxInfraErrorRate, int minCases,
                         Integer maxFlips, double significance, Double maxPassRateDrop) {

    private static final Set<String> TOP = Set.of("min_pass_rate", "min_pass_rate_lower_bound", "categories",
            "critical_must_pass", "max_latency_p95", "max_infra_error_rate", "min_cases", "baseline");
    private static final Set<String> BASELINE = Set.of("max_flips", "significance", "max_pass_rate_drop");

    public Thresholds {
        categories = Map.copyOf(categories);
    }

    public static Thresholds load(Path file) {
        JsonNode root;
        try {
            root = Json.yaml().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("no such thresholds file: " + file, "pass --thresholds evals/thresholds.yaml");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file + ": expected a mapping of gate rules (see docs/eval.md)");
        }
        return parse(root, file.toString());
    }

    static Thresholds parse(JsonNode root, String where) {
        UnknownFields.reject(root, TOP, where, "", "see docs/eval.md for the gate rules");
        Map<String, Double> categories = new LinkedHashMap<>();
        JsonNode cats = root.path("categories");
        if (!cats.isMissingNode()) {
            if (!cats.isObject()) {
                throw new InvalidInputException(where + ": 'categories' must map a category to its minimum pass rate");
            }
            cats.fields().forEachRemaining(e -> categories.put(e.getKey(), rate(e.getValue(), where, "categories." + e.getKey())));
        }
        JsonNode baseline = root.path("baseline");
        if (!baseline.isMissingNode()) {
            if (!baseline.isObject()) {
                throw new InvalidInputException(where + ": 'baseline' must be a mapping");
            }
            UnknownFields.reject(baseline, BASELINE, where, "baseline.", "see docs/eval.md for the gate rules");
        }
        Integer maxFlips = baseline.has("max_flips") ? whole(baseline.get("max_flips"), where, "baseline.max_flips") : null;
        double significance = baseline.has("significance") ? rate(baseline.get("significance"), where, "baseline.significance") : 0.05;
        JsonNode critical = root.path("critical_must_pass");
        if (!critical.isMissingNode() && !critical.isBoolean()) {
            throw new InvalidInputException(where + ": 'critical_must_pass' must be true or false");
        }
        return new Thresholds(optionalRate(root, "min_pass_rate", where), optionalRate(root, "min_pass_rate_lower_bound", where),
                categories, critical.isMissingNode() || critical.asBoolean(), latency(root.get("max_latency_p95"), where),
                optionalRate(root, "max_infra_error_rate", where),
                root.has("min_cases") ? whole(root.get("min_cases"), where, "min_cases") : 1, maxFlips, significance,
                baseline.has("max_pass_rate_drop") ? rate(baseline.get("max_pass_rate_drop"), where, "baseline.max_pass_rate_drop") : null);
    }

    private static Double optionalRate(JsonNode root, String field, String where) {
        return root.has(field) ? rate(root.get(field), where, field) : null;
    }

    private static double rate(JsonNode v, String where, String field) {
        try {
            return Percentages.parseFraction(v.asText());
        } catch (ChatbotctlException e) {
            throw new InvalidInputException(where + ": '" + field + "': " + e.getMessage(), "write a rate like 90% or 0.9");
        }
    }

    private static int whole(JsonNode v, String where, String field) {
        if (!v.canConvertToInt() || v.asInt() < 0 || !v.isIntegralNumber()) {
            throw new InvalidInputException(where + ": '" + field + "' must be a whole number >= 0");
        }
        return v.asInt();
    }

    private static Duration latency(JsonNode v, String where) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return Duration.ofMillis(v.asLong());
        }
        try {
            return Durations.parse(v.asText());
        } catch (ChatbotctlException e) {
            throw new InvalidInputException(where + ": 'max_latency_p95': " + e.getMessage(), "write 5s or 2500ms");
        }
    }
}
