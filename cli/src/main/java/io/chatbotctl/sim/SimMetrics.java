package io.chatbotctl.sim;

import io.chatbotctl.core.vllm.CatalogMetric;
import io.chatbotctl.core.vllm.VllmCatalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.DoubleSupplier;

/**
 * The Prometheus series of the imitated vLLM version, exactly as its catalog ({@code vllm/catalog-VERSION.yaml})
 * lists them: every unconditional family with its labels and buckets, {@code <name>_created} samples when the
 * catalog says prometheus_client serves them. What the simulator measures (queue, tokens, latencies, HTTP answers)
 * goes to the families that carry it in that version; the rest stay at zero. docs/sim.md lists which is which.
 */
public final class SimMetrics {
    static final String ENGINE = "0";

    private final VllmCatalog catalog;
    private final String modelName;
    private final int maxModelLen;
    private final double createdSeconds = System.currentTimeMillis() / 1000.0;
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    /** The unconditional families by name. */
    private final Map<String, CatalogMetric> families = new java.util.HashMap<>();
    /** family → rendered label set → value (counters) or histogram/summary. */
    private final Map<String, Map<String, DoubleAdder>> counters = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Histogram>> histograms = new ConcurrentHashMap<>();
    /** The one child of families labelled only model_name and engine: the per-token path without string building. */
    private final Map<String, DoubleAdder> plainCounters = new java.util.HashMap<>();
    private final Map<String, Histogram> plainHistograms = new java.util.HashMap<>();

    SimMetrics(VllmCatalog catalog, String modelName, int maxModelLen) {
        this.catalog = catalog;
        this.modelName = modelName;
        this.maxModelLen = maxModelLen;
        for (CatalogMetric m : catalog.unconditional()) {
            families.put(m.name(), m);
            counters.put(m.name(), new ConcurrentHashMap<>());
            histograms.put(m.name(), new ConcurrentHashMap<>());
            for (Map<String, String> labels : fixedLabelSets(m)) {
                child(m, labels);
            }
            if (Set.of("model_name", "engine").containsAll(m.labels())) {
                String plain = render(m, Map.of());
                if (m.type().equals("counter")) {
                    plainCounters.put(m.name(), counters.get(m.name()).get(plain));
                } else if (!m.type().equals("gauge")) {
                    plainHistograms.put(m.name(), histograms.get(m.name()).get(plain));
                }
            }
        }
    }

    VllmCatalog catalog() {
        return catalog;
    }

    String modelName() {
        return modelName;
    }

    void gauges(DoubleSupplier running, DoubleSupplier waiting, DoubleSupplier kvUsage) {
        gauges.put("vllm:num_requests_running", running);
        gauges.put("vllm:num_requests_waiting", waiting);
        gauges.put("vllm:kv_cache_usage_perc", kvUsage);
        gauges.put("vllm:gpu_cache_usage_perc", kvUsage);
    }

    // What the simulator measures, mapped onto the catalog's names (a name the version lacks is skipped).

    void preempted() {
        inc("vllm:num_preemptions_total", Map.of(), 1);
    }

    void generationToken() {
        inc("vllm:generation_tokens_total", Map.of(), 1);
    }

    /** The first token is out: prompt tokens and time to first token. */
    void firstToken(int promptTokens, double ttftSeconds) {
        inc("vllm:prompt_tokens_total", Map.of(), promptTokens);
        observe("vllm:time_to_first_token_seconds", Map.of(), ttftSeconds);
    }

    /** One gap between two tokens; vLLM 0.11 observed it under both names. */
    void interToken(double seconds) {
        observe("vllm:inter_token_latency_seconds", Map.of(), seconds);
        observe("vllm:time_per_output_token_seconds", Map.of(), seconds);
    }

    /** A request was accepted: its sampling parameters (n is always 1 here). */
    void requestParams(Integer maxTokens, int effectiveMaxTokens) {
        observe("vllm:request_params_n", Map.of(), 1);
        observe("vllm:request_max_num_generation_tokens", Map.of(), effectiveMaxTokens);
        if (maxTokens != null) {
            observe("vllm:request_params_max_tokens", Map.of(), maxTokens);
        }
    }

    void finished(String reason) {
        inc("vllm:request_success_total", Map.of("finished_reason", reason), 1);
    }

    /** A request ended normally: its phase times and token counts (per-token time 0 with at most one token, as vLLM). */
    void completed(double e2e, double queue, double prefill, double decode, double perOutputToken, int promptTokens,
                   int generated) {
        observe("vllm:e2e_request_latency_seconds", Map.of(), e2e);
        observe("vllm:request_queue_time_seconds", Map.of(), queue);
        observe("vllm:request_prefill_time_seconds", Map.of(), prefill);
        observe("vllm:request_decode_time_seconds", Map.of(), decode);
        observe("vllm:request_inference_time_seconds", Map.of(), prefill + decode);
        observe("vllm:request_time_per_output_token_seconds", Map.of(), perOutputToken);
        observe("vllm:request_prompt_tokens", Map.of(), promptTokens);
        observe("vllm:request_generation_tokens", Map.of(), generated);
    }

    /**
     * One HTTP answer as prometheus-fastapi-instrumentator counts it: {@code handler} is the route (or {@code none}),
     * status grouped as 2xx/4xx/5xx, sizes from the Content-Length headers (0 when absent).
     */
    void http(String handler, String method, int status, long requestBytes, long responseBytes, double seconds) {
        inc("http_requests_total", Map.of("handler", handler, "method", method, "status", (status / 100) + "xx"), 1);
        observe("http_request_size_bytes", Map.of("handler", handler), requestBytes);
        observe("http_response_size_bytes", Map.of("handler", handler), responseBytes);
        observe("http_request_duration_highr_seconds", Map.of(), seconds);
        observe("http_request_duration_seconds", Map.of("handler", handler, "method", method), seconds);
    }

    private void inc(String family, Map<String, String> labels, double amount) {
        DoubleAdder plain = labels.isEmpty() ? plainCounters.get(family) : null;
        if (plain != null) {
            plain.add(amount);
            return;
        }
        CatalogMetric m = families.get(family);
        if (m != null) {
            counters.get(family).computeIfAbsent(render(m, labels), k -> new DoubleAdder()).add(amount);
        }
    }

    private void observe(String family, Map<String, String> labels, double value) {
        Histogram plain = labels.isEmpty() ? plainHistograms.get(family) : null;
        if (plain != null) {
            plain.observe(value);
            return;
        }
        CatalogMetric m = families.get(family);
        if (m != null) {
            histograms.get(family).computeIfAbsent(render(m, labels), k -> newHistogram(m)).observe(value);
        }
    }

    private void child(CatalogMetric m, Map<String, String> labels) {
        switch (m.type()) {
            case "counter" -> counters.get(m.name()).computeIfAbsent(render(m, labels), k -> new DoubleAdder());
            case "histogram", "summary" -> histograms.get(m.name()).computeIfAbsent(render(m, labels), k -> newHistogram(m));
            default -> { }
        }
    }

    private Histogram newHistogram(CatalogMetric m) {
        return new Histogram(m.bucketsFor(maxModelLen).stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The label sets vLLM creates up front: model_name and engine, times every value of the enumerated labels.
     * A family with a label set per request (the HTTP ones) has none until the first request.
     */
    private List<Map<String, String>> fixedLabelSets(CatalogMetric m) {
        List<Map<String, String>> sets = new ArrayList<>();
        sets.add(new LinkedHashMap<>());
        for (String label : m.labels()) {
            List<String> values = switch (label) {
                case "model_name" -> List.of(modelName);
                case "engine" -> List.of(ENGINE);
                default -> m.values().get(label);
            };
            if (values == null) {
                return List.of();
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> set : sets) {
                for (String v : values) {
                    Map<String, String> copy = new LinkedHashMap<>(set);
                    copy.put(label, v);
                    next.add(copy);
                }
            }
            sets = next;
        }
        return sets;
    }

    /** {@code a="x",b="y"} in the catalog's label order; model_name and engine filled in. */
    private String render(CatalogMetric m, Map<String, String> given) {
        StringBuilder out = new StringBuilder();
        for (String label : m.labels()) {
            String value = switch (label) {
                case "model_name" -> modelName;
                case "engine" -> ENGINE;
                default -> given.get(label);
            };
            if (value == null) {
                throw new IllegalArgumentException(m.name() + ": no value for label " + label);
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(label).append("=\"").append(escape(value)).append('"');
        }
        return out.toString();
    }

    /** The Prometheus text exposition format 0.0.4, families in the catalog's order. */
    public String render() {
        StringBuilder out = new StringBuilder(32_768);
        for (CatalogMetric m : catalog.unconditional()) {
            header(out, m.name(), m.type());
            switch (m.type()) {
                case "gauge" -> renderGauge(out, m);
                case "counter" -> counters.get(m.name()).forEach((labels, v) ->
                        sample(out, m.name(), labels, v.sum()));
                case "histogram" -> histograms.get(m.name()).forEach((labels, h) -> h.render(out, m.name(), labels));
                case "summary" -> histograms.get(m.name()).forEach((labels, h) -> {
                    sample(out, m.name() + "_count", labels, h.count());
                    sample(out, m.name() + "_sum", labels, h.sum());
                });
                default -> throw new IllegalStateException(m.type());
            }
            if (catalog.createdSamples() && !m.type().equals("gauge")) {
                List<String> names = m.sampleNames(true);
                String created = names.get(names.size() - 1);
                header(out, created, "gauge");
                Map<String, ?> children = m.type().equals("counter") ? counters.get(m.name()) : histograms.get(m.name());
                children.keySet().forEach(labels -> sample(out, created, labels, createdSeconds));
            }
        }
        return out.toString();
    }

    private void renderGauge(StringBuilder out, CatalogMetric m) {
        switch (m.name()) {
            case "vllm:engine_sleep_state" -> {
                for (Map<String, String> labels : fixedLabelSets(m)) {
                    sample(out, m.name(), render(m, labels), labels.get("sleep_state").equals("awake") ? 1 : 0);
                }
            }
            case "vllm:cache_config_info" -> sample(out, m.name(), render(m, Map.of())
                    + ",block_size=\"" + Engine.BLOCK_TOKENS + "\",enable_prefix_caching=\"True\"", 1);
            default -> {
                DoubleSupplier value = gauges.getOrDefault(m.name(), () -> 0);
                for (Map<String, String> labels : fixedLabelSets(m)) {
                    sample(out, m.name(), render(m, labels), value.getAsDouble());
                }
            }
        }
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String type) {
        out.append("# HELP ").append(name).append(' ').append(name).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
