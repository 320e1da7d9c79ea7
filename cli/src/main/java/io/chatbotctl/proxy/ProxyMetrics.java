package io.chatbotctl.proxy;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The proxy's own series, in Prometheus' text format (written here: a dozen series need no client library). */
final class ProxyMetrics {
    private static final double[] ADDED_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1};
    private static final double[] TTFT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> tokens = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> limited = new ConcurrentHashMap<>();
    private final Histogram added = new Histogram(ADDED_BUCKETS);
    private final Histogram ttft = new Histogram(TTFT_BUCKETS);
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder redisErrors = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();
    private volatile IntSupplier keys = () -> 0;

    void keys(IntSupplier count) {
        keys = count;
    }

    void request(String key, int status, String errorType) {
        requests.computeIfAbsent(labels("key", key, "status", Integer.toString(status), "error_type",
                errorType == null ? "" : errorType), k -> new LongAdder()).increment();
    }

    void tokens(String key, long prompt, long completion) {
        if (prompt > 0) {
            tokens.computeIfAbsent(labels("key", key, "kind", "prompt"), k -> new LongAdder()).add(prompt);
        }
        if (completion > 0) {
            tokens.computeIfAbsent(labels("key", key, "kind", "completion"), k -> new LongAdder()).add(completion);
        }
    }

    void limited(String key, String limit) {
        limited.computeIfAbsent(labels("key", key, "limit", limit), k -> new LongAdder()).increment();
    }

    void addedNanos(long nanos) {
        added.observe(nanos / 1e9);
    }

    void upstreamTtftNanos(long nanos) {
        ttft.observe(nanos / 1e9);
    }

    void cancelled() {
        cancelled.increment();
    }

    long cancelledCount() {
        return cancelled.sum();
    }

    void redisError() {
        redisErrors.increment();
    }

    String render() {
        StringBuilder out = new StringBuilder(4096);
        family(out, "chatbotctl_proxy_requests_total", "counter", "Requests answered, by key, HTTP status and error type.", requests);
        family(out, "chatbotctl_proxy_tokens_total", "counter", "Tokens counted from the upstream's usage, by key and kind.", tokens);
        family(out, "chatbotctl_proxy_limited_total", "counter", "Requests refused with 429, by key and the limit hit.", limited);
        added.render(out, "chatbotctl_proxy_added_latency_seconds",
                "Time the proxy adds to a request (its own work before the upstream and before the client).");
        ttft.render(out, "chatbotctl_proxy_upstream_ttft_seconds",
                "Upstream time to first token, from sending the request to the first content chunk.");
        scalar(out, "chatbotctl_proxy_upstream_cancelled_total", "counter",
                "Upstream requests cancelled because the client went away.", cancelled.sum());
        scalar(out, "chatbotctl_proxy_redis_errors_total", "counter",
                "Rate-limit calls Redis did not answer (decided by --redis-failure).", redisErrors.sum());
        scalar(out, "chatbotctl_proxy_in_flight_requests", "gauge", "Requests being proxied now.", inFlight.get());
        scalar(out, "chatbotctl_proxy_keys", "gauge", "Keys in the keys file (revoked included).", keys.getAsInt());
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String type, String help, Map<String, LongAdder> series) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        new TreeMap<>(series).forEach((labels, v) -> out.append(name).append('{').append(labels).append("} ")
                .append(v.sum()).append('\n'));
    }

    private static void scalar(StringBuilder out, String name, String type, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(' ').append(value).append('\n');
    }

    private static String labels(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(kv[i]).append("=\"").append(kv[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n")).append('"');
        }
        return b.toString();
    }

    private static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final LongAdder count = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(v);
        }

        void render(StringBuilder out, String name, String help) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(name).append("_bucket{le=\"").append(String.format(Locale.ROOT, "%s", bounds[i]))
                        .append("\"} ").append(cumulative).append('\n');
            }
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n');
            out.append(name).append("_sum ").append(String.format(Locale.ROOT, "%.9f", sum.sum())).append('\n');
            out.append(name).append("_count ").append(count.sum()).append('\n');
        }
    }
}
