package io.chatbotctl.runbook;

import io.chatbotctl.prometheus.PrometheusClient;
import io.chatbotctl.prometheus.Sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Is vLLM overloaded? Waiting queue, KV-cache usage and TTFT P99 from Prometheus (vLLM v1 metric names). */
final class LatencyCheck implements Check {
    static final String WAITING = "sum(vllm:num_requests_waiting{%s})";
    static final String RUNNING = "sum(vllm:num_requests_running{%s})";
    static final String KV_CACHE = "max(vllm:kv_cache_usage_perc{%s})";
    static final String TTFT_P99 = "histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{%s}[%s])))";

    @Override
    public List<Finding> run(RunContext context, Map<String, Object> params) {
        PrometheusClient prometheus = context.prometheus();
        double waitingMax = Params.number(params, "waitingMax", 5);
        double kvCacheMax = Params.number(params, "kvCacheMax", 0.9);
        double ttftMax = Params.number(params, "ttftP99MaxSeconds", 2.0);
        Duration window = Params.duration(params, "window", Duration.ofMinutes(5));
        String selector = Params.selector(params, context);
        String waitingQuery = String.format(WAITING, selector);
        String ttftQuery = String.format(TTFT_P99, selector, Params.promRange(window));
        var now = context.clock.instant();

        OptionalDouble waiting = value(prometheus, waitingQuery, now);
        List<Finding> findings = new ArrayList<>();
        if (waiting.isEmpty()) {
            findings.add(Finding.problem("no-metrics", "prometheus", prometheus.baseUrl(),
                    "Prometheus has no vllm:num_requests_waiting: vLLM is not scraped (or not running)", waitingQuery));
            return findings;
        }
        OptionalDouble running = value(prometheus, String.format(RUNNING, selector), now);
        String kvQuery = String.format(KV_CACHE, selector);
        OptionalDouble kv = value(prometheus, kvQuery, now);
        OptionalDouble ttft = value(prometheus, ttftQuery, now);

        findings.add(Finding.info("load", "prometheus", prometheus.baseUrl(), String.format(Locale.ROOT,
                "waiting %.0f, running %.0f, KV cache %s, TTFT P99 %s over %s", waiting.getAsDouble(),
                running.orElse(0), kv.isPresent() ? percent(kv.getAsDouble()) : "-",
                ttft.isPresent() ? seconds(ttft.getAsDouble()) : "- (no requests)", Params.promRange(window))));
        if (waiting.getAsDouble() > waitingMax) {
            findings.add(Finding.problem("queue-backlog", "prometheus", "vllm:num_requests_waiting",
                    String.format(Locale.ROOT, "%.0f requests waiting (more than %.0f): vLLM is at its max-num-seqs",
                            waiting.getAsDouble(), waitingMax), waitingQuery));
        }
        if (kv.isPresent() && kv.getAsDouble() > kvCacheMax) {
            findings.add(Finding.problem("kv-cache-high", "prometheus", "vllm:kv_cache_usage_perc",
                    "KV cache " + percent(kv.getAsDouble()) + " full (above " + percent(kvCacheMax) + "): requests get preempted", kvQuery));
        }
        if (ttft.isPresent() && ttft.getAsDouble() > ttftMax) {
            findings.add(Finding.problem("ttft-high", "prometheus", "vllm:time_to_first_token_seconds",
                    "TTFT P99 " + seconds(ttft.getAsDouble()) + " (above " + seconds(ttftMax) + ")",
                    ttftQuery));
        }
        return findings;
    }

    private static OptionalDouble value(PrometheusClient prometheus, String promql, java.time.Instant now) {
        return prometheus.query(promql, now).stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).findFirst();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2fs", s);
    }
}
