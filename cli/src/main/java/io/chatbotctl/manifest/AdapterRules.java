package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The prometheus-adapter rules that serve the HPA's custom metrics, read from the adapter's Helm values
 * ({@code manifests/monitoring/prometheus-adapter-values.yaml}, {@code rules.custom}): the adapter reads its rules
 * from the ConfigMap its chart renders from these values, in its own namespace, and nowhere else.
 *
 * @param file  where the rules were read
 * @param rules the custom-metrics rules
 */
public record AdapterRules(Path file, List<Rule> rules) {
    /** Where the values live, relative to the directory holding {@code overlays/}, {@code base/} and {@code monitoring/}. */
    public static final String VALUES = "monitoring/prometheus-adapter-values.yaml";

    /**
     * One rule.
     *
     * @param seriesQuery  the series the rule discovers
     * @param series       the metric name of {@code seriesQuery}
     * @param exposedAs    the custom metric name the HPA asks for
     * @param metricsQuery the query template ({@code <<.Series>>}, {@code <<.LabelMatchers>>}, {@code <<.GroupBy>>})
     */
    public record Rule(String seriesQuery, String series, String exposedAs, String metricsQuery) {

        /**
         * The query the adapter runs when the HPA asks for this metric of {@code pods} in {@code namespace}: the
         * adapter groups by pod and selects the pods by name ({@code pod=~"a|b"}); the HPA averages the values.
         */
        public String query(String namespace, List<String> pods) {
            String matchers = "namespace=\"" + namespace + "\",pod=~\"" + String.join("|", pods) + "\"";
            return metricsQuery.replace("<<.Series>>", series).replace("<<.LabelMatchers>>", matchers)
                    .replace("<<.GroupBy>>", "pod");
        }
    }

    /**
     * The values file of the manifests tree {@code kustomizationDir} belongs to: searched upwards from it, then from
     * the directories its kustomization builds on ({@code resources}, {@code components}), so that an overlay kept
     * elsewhere that builds on the project's finds it too.
     */
    public static Optional<AdapterRules> find(Path kustomizationDir) {
        return find(kustomizationDir.toAbsolutePath().normalize(), new java.util.HashSet<>());
    }

    private static Optional<AdapterRules> find(Path start, java.util.Set<Path> seen) {
        if (!seen.add(start) || seen.size() > 50) {
            return Optional.empty();
        }
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path values = dir.resolve(VALUES);
            if (Files.isRegularFile(values)) {
                return Optional.of(read(values));
            }
        }
        for (String file : java.util.List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
            Path k = start.resolve(file);
            if (!Files.isRegularFile(k)) {
                continue;
            }
            JsonNode root;
            try {
                root = ManifestYaml.readTree(Files.readString(k), k.toString());
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
            for (String field : java.util.List.of("resources", "components", "bases")) {
                for (JsonNode entry : root.path(field)) {
                    Path dir = start.resolve(entry.asText()).normalize();
                    if (Files.isDirectory(dir)) {
                        Optional<AdapterRules> found = find(dir, seen);
                        if (found.isPresent()) {
                            return found;
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    public static AdapterRules read(Path values) {
        JsonNode root;
        try {
            root = ManifestYaml.readTree(Files.readString(values), values.toString());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + values + ": " + e.getMessage());
        }
        return new AdapterRules(values, parse(root.path("rules").path("custom")));
    }

    /** Rules in the adapter's own format (a {@code rules:} list of its config, or the chart's {@code rules.custom}). */
    static List<Rule> parse(JsonNode list) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode rule : list) {
            String seriesQuery = rule.path("seriesQuery").asText();
            String series = seriesQuery.replaceAll("[{\\s].*$", "").replace("'", "");
            String matches = rule.path("name").path("matches").asText("");
            String as = rule.path("name").path("as").asText("");
            String exposed;
            if (!as.isEmpty() && !as.contains("$")) {
                exposed = as;
            } else if (!matches.isEmpty()) {
                try {
                    exposed = Pattern.compile(matches).matcher(series).replaceAll(as.isEmpty() ? "$0" : as.replace("${1}", "$1"));
                } catch (PatternSyntaxException | IndexOutOfBoundsException e) {
                    exposed = series;
                }
            } else {
                exposed = series;
            }
            rules.add(new Rule(seriesQuery, series, exposed, rule.path("metricsQuery").asText("")));
        }
        return List.copyOf(rules);
    }

    public Optional<Rule> exposing(String metric) {
        return rules.stream().filter(r -> r.exposedAs().equals(metric)).findFirst();
    }
}
