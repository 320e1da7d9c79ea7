package io.chatbotctl.loadtest;

import io.chatbotctl.core.HttpClients;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's own view from its Prometheus {@code /metrics} (vLLM's names): scraped before and after the run,
 * histogram deltas turned into counts, means and interpolated percentiles, and the waiting queue polled for its peak.
 */
final class ServerMetrics {
    static final String TTFT = "vllm:time_to_first_token_seconds";
    static final String QUEUE = "vllm:request_queue_time_seconds";
    static final String E2E = "vllm:e2e_request_latency_seconds";
    static final String WAITING = "vllm:num_requests_waiting";
    static final String RUNNING = "vllm:num_requests_running";

    private final String url;
    private final OkHttpClient http;

    ServerMetrics(String url) {
        this.url = url;
        this.http = HttpClients.shared().newBuilder().readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code http://host:8000/v1} → {@code http://host:8000/metrics}. */
    static String defaultUrl(String baseUrl) {
        String base = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
        return base + "/metrics";
    }

    String url() {
        return url;
    }

    /** The samples, or null when the endpoint cannot be scraped. */
    List<MetricsText.Sample> scrape() {
        try (Response response = http.newCall(new Request.Builder().url(url).get().build()).execute()) {
            if (!response.isSuccessful() || response.body() == null) {
                return null;
            }
            return MetricsText.parse(response.body().string());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    static double gauge(List<MetricsText.Sample> samples, String name) {
        double sum = 0;
        for (MetricsText.Sample s : samples) {
            if (s.name().equals(name)) {
                sum += s.value();
            }
        }
        return sum;
    }

    /** The histogram's buckets (upper bound → cumulative count) summed over all label sets, plus sum and count. */
    record Buckets(TreeMap<Double, Double> cumulative, double sum, double count) {
        static Buckets of(List<MetricsText.Sample> samples, String name) {
            TreeMap<Double, Double> buckets = new TreeMap<>();
            double sum = 0;
            double count = 0;
            for (MetricsText.Sample s : samples) {
                if (s.name().equals(name + "_bucket") && s.labels().containsKey("le")) {
                    double le = s.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY
                            : Double.parseDouble(s.labels().get("le"));
                    buckets.merge(le, s.value(), Double::sum);
                } else if (s.name().equals(name + "_sum")) {
                    sum += s.value();
                } else if (s.name().equals(name + "_count")) {
                    count += s.value();
                }
            }
            return new Buckets(buckets, sum, count);
        }

        Buckets minus(Buckets before) {
            TreeMap<Double, Double> delta = new TreeMap<>();
            cumulative.forEach((le, v) -> delta.put(le, v - before.cumulative.getOrDefault(le, 0.0)));
            return new Buckets(delta, sum - before.sum, count - before.count);
        }

        /** Like PromQL's histogram_quantile: linear within the bucket; in seconds. */
        double quantile(double q) {
            if (count <= 0 || cumulative.isEmpty()) {
                return Double.NaN;
            }
            double total = cumulative.lastEntry().getValue();
            double rank = q * total;
            double lower = 0;
            double below = 0;
            for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
                if (e.getValue() >= rank) {
                    if (e.getKey().isInfinite()) {
                        return lower;
                    }
                    double inBucket = e.getValue() - below;
                    return inBucket <= 0 ? e.getKey() : lower + (e.getKey() - lower) * (rank - below) / inBucket;
                }
                lower = e.getKey();
                below = e.getValue();
            }
            return lower;
        }
    }
}
