package io.chatbotctl.manifest;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.vllm.CatalogMetric;
import io.chatbotctl.core.vllm.VllmCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Holds a PromQL expression to a vLLM catalog: every series it selects is one the catalog's version serves (or a
 * recording rule of the project, or one of the few other series the project uses), and every label it matches is
 * one that series carries, vLLM's own or one Prometheus attaches at scrape time.
 *
 * @param catalog        the vLLM version the queried pods run
 * @param recordingRules names of the project's recording rules
 * @param scrapeLabels   labels the scrape adds (job, instance, namespace, pod, ... and relabelled ones like track)
 */
public record PromqlLint(VllmCatalog catalog, Set<String> recordingRules, Set<String> scrapeLabels) {

    /** Labels Prometheus Operator puts on every series a ServiceMonitor scrapes. */
    public static final Set<String> OPERATOR_LABELS = Set.of("job", "instance", "namespace", "service", "pod",
            "container", "endpoint");
    private static final VllmCatalog OTHER = loadOther();
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
    private static final Pattern GRAFANA_VAR = Pattern.compile("\\$\\{?(\\w+)(?::\\w+)?}?");

    /** What is wrong (errors) and what is doubtful (warnings) in one expression. */
    public record Result(List<String> errors, List<String> warnings) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private static VllmCatalog loadOther() {
        String resource = "io/chatbotctl/manifest/other-series.yaml";
        try (InputStream in = PromqlLint.class.getClassLoader().getResourceAsStream(resource)) {
            return VllmCatalog.read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A query template as the project writes them made plain PromQL: the canary's {@code {{track}}}, Grafana's
     * {@code $__rate_interval} and {@code ${var}}, prometheus-adapter's {@code <<.Series>>} placeholders.
     */
    public static String instantiate(String template) {
        String s = template.replace("{{window}}", "1m").replace("$__rate_interval", "1m")
                .replace("$__interval", "1m").replace("$__range", "1h");
        s = TEMPLATE.matcher(s).replaceAll("x");
        return GRAFANA_VAR.matcher(s).replaceAll("x");
    }

    public Result check(String expr) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<PromqlSelectors.Selector> selectors;
        try {
            selectors = PromqlSelectors.of(expr);
        } catch (ChatbotctlException e) {
            return new Result(List.of(e.getMessage()), List.of());
        }
        for (PromqlSelectors.Selector s : selectors) {
            if (s.metric() == null) {
                errors.add("a selector without a metric name: " + s.matchers());
                continue;
            }
            if (recordingRules.contains(s.metric())) {
                continue;
            }
            Optional<CatalogMetric> family = catalog.familyOfSample(s.metric());
            boolean vllm = family.isPresent();
            if (family.isEmpty()) {
                family = OTHER.familyOfSample(s.metric());
            }
            if (family.isEmpty()) {
                errors.add(s.metric() + " is not served by vLLM " + catalog.version() + " (vllm/catalog-"
                        + catalog.version() + ".yaml) nor defined by a recording rule" + renamedHint(s.metric()));
                continue;
            }
            CatalogMetric m = family.get();
            if (vllm && m.condition() != null) {
                warnings.add(s.metric() + " is served by vLLM " + catalog.version() + " only with " + m.condition());
            }
            Set<String> known = new TreeSet<>(m.labelsOf(s.metric()));
            known.addAll(scrapeLabels);
            for (PromqlSelectors.Matcher matcher : s.matchers()) {
                if (!matcher.label().equals("__name__") && !known.contains(matcher.label()) && !m.openLabels()) {
                    errors.add(s.metric() + " has no label " + matcher.label() + " (it carries " + String.join(", ", known) + ")");
                }
            }
        }
        return new Result(List.copyOf(errors), List.copyOf(warnings));
    }

    private String renamedHint(String metric) {
        if (metric.startsWith("vllm:time_per_output_token_seconds")) {
            return "; it was renamed vllm:inter_token_latency_seconds (vLLM PR #24110)";
        }
        if (metric.startsWith("vllm:inter_token_latency_seconds")) {
            return "; this version serves the same histogram as vllm:time_per_output_token_seconds";
        }
        if (metric.startsWith("vllm:gpu_cache_usage_perc")) {
            return "; use vllm:kv_cache_usage_perc (removed in 0.12 by vLLM PR #29330)";
        }
        return "";
    }
}
