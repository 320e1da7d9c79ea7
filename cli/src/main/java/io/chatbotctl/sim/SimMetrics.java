package io.chatbotctl.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * vLLM's Prometheus series (v1 names, {@code model_name} label, vLLM's buckets) and the HTTP status counts of
 * prometheus-fastapi-instrumentator, which vLLM uses ({@code status} grouped as 2xx/4xx/5xx, like vLLM).
 */
public final class SimMetrics {
    static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5,
            5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
    static final double[] TOKEN_LATENCY_BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
    static final double[] REQUEST_LATENCY_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
            40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};
    static final String[] FINISHED_REASONS = {"stop", "length", "abort"};

    private final String labels;
    private final String modelName;
    private DoubleSupplier running = () -> 0;
    private DoubleSupplier waiting = () -> 0;
    private DoubleSupplier kvUsage = () -> 0;

    final LongAdder promptTokens = new LongAdder();
    final LongAdder generationTokens = new LongAdder();
    final LongAdder preemptions = new LongAdder();
    private final Map<String, LongAdder> success = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> http = new ConcurrentHashMap<>();

    final Histogram ttft = new Histogram(TTFT_BUCKETS);
    final Histogram interTokenLatency = new Histogram(TOKEN_LATENCY_BUCKETS);
    final Histogram timePerOutputToken = new Histogram(TOKEN_LATENCY_BUCKETS);
    final Histogram e2e = new Histogram(REQUEST_LATENCY_BUCKETS);
    final Histogram queueTime = new Histogram(REQUEST_LATENCY_BUCKETS);
    final Histogram prefillTime = new Histogram(REQUEST_LATENCY_BUCKETS);
    final Histogram decodeTime = new Histogram(REQUEST_LATENCY_BUCKETS);
    final Histogram requestPromptTokens;
    final Histogram requestGenerationTokens;

    SimMetrics(String modelName, int maxModelLen) {
        this.modelName = modelName;
        this.labels = "model_name=\"" + escape(modelName) + "\"";
        for (String reason : FINISHED_REASONS) {
            success.put(reason, new LongAdder());
        }
        double[] tokenBuckets = oneTwoFive(maxModelLen);
        requestPromptTokens = new Histogram(tokenBuckets);
        requestGenerationTokens = new Histogram(tokenBuckets);
    }

    void gauges(DoubleSupplier running, DoubleSupplier waiting, DoubleSupplier kvUsage) {
        this.running = running;
        this.waiting = waiting;
        this.kvUsage = kvUsage;
    }

    void finished(String reason) {
        success.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Counts one HTTP response; {@code handler} is the route (e.g. {@code /v1/chat/completions}) or {@code none}. */
    void http(String handler, String method, int status) {
        String key = handler + '\u0000' + method + '\u0000' + (status / 100) + "xx";
        http.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** vLLM's 1-2-5 buckets up to the context length. */
    static double[] oneTwoFive(int max) {
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (long exp = 1; ; exp *= 10) {
            for (int m : new int[]{1, 2, 5}) {
                long v = m * exp;
                if (v > max) {
                    return out.stream().mapToDouble(Double::doubleValue).toArray();
                }
                out.add((double) v);
            }
        }
    }

    /** The Prometheus text exposition format 0.0.4. */
    public String render() {
        StringBuilder out = new StringBuilder(16_384);
        gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.", running.getAsDouble());
        gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", waiting.getAsDouble());
        double usage = kvUsage.getAsDouble();
        gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", usage);
        gauge(out, "vllm:gpu_cache_usage_perc",
                "GPU KV-cache usage. 1 means 100 percent usage. (Deprecated: use vllm:kv_cache_usage_perc.)", usage);
        counter(out, "vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", preemptions.sum());
        counter(out, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", promptTokens.sum());
        counter(out, "vllm:generation_tokens_total", "Number of generation tokens processed.", generationTokens.sum());
        header(out, "vllm:request_success_total", "Count of successfully processed requests.", "counter");
        for (Map.Entry<String, LongAdder> e : success.entrySet()) {
            out.append("vllm:request_success_total{finished_reason=\"").append(e.getKey()).append("\",")
                    .append(labels).append("} ").append(e.getValue().sum()).append(".0\n");
        }
        histogram(out, "vllm:request_prompt_tokens", "Number of prefill tokens processed.", requestPromptTokens);
        histogram(out, "vllm:request_generation_tokens", "Number of generation tokens processed.",
                requestGenerationTokens);
        histogram(out, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", ttft);
        histogram(out, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.",
                interTokenLatency);
        histogram(out, "vllm:request_time_per_output_token_seconds",
                "Histogram of time_per_output_token_seconds per request.", timePerOutputToken);
        histogram(out, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", e2e);
        histogram(out, "vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.",
                queueTime);
        histogram(out, "vllm:request_prefill_time_seconds", "Histogram of time spent in PREFILL phase for request.",
                prefillTime);
        histogram(out, "vllm:request_decode_time_seconds", "Histogram of time spent in DECODE phase for request.",
                decodeTime);
        header(out, "http_requests_total", "Total number of requests by method, status and handler.", "counter");
        for (Map.Entry<String, LongAdder> e : http.entrySet()) {
            String[] k = e.getKey().split("\u0000");
            out.append("http_requests_total{handler=\"").append(escape(k[0])).append("\",method=\"").append(k[1])
                    .append("\",status=\"").append(k[2]).append("\"} ").append(e.getValue().sum()).append(".0\n");
        }
        return out.toString();
    }

    String modelName() {
        return modelName;
    }

    private void gauge(StringBuilder out, String name, String help, double value) {
        header(out, name, help, "gauge");
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "counter");
        out.append(name).append('{').append(labels).append("} ").append(value).append(".0\n");
    }

    private void histogram(StringBuilder out, String name, String help, Histogram h) {
        header(out, name, help, "histogram");
        h.render(out, name, labels);
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
