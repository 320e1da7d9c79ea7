package io.chatbotctl.canary;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.prometheus.PrometheusClient;
import io.chatbotctl.prometheus.Series;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.DoubleStream;

/** Range queries on Prometheus, retried with back-off: an unreachable Prometheus fails only after every attempt. */
public final class PrometheusMetricSource implements MetricSource {
    private final PrometheusClient client;
    private final List<Duration> backoff;
    private final Sleeper sleeper;

    /** @param backoff the waits between attempts: {@code [1s, 2s, 4s]} means four attempts in all */
    public PrometheusMetricSource(PrometheusClient client, List<Duration> backoff, Sleeper sleeper) {
        this.client = client;
        this.backoff = List.copyOf(backoff);
        this.sleeper = sleeper;
    }

    @Override
    public double[] samples(String promql, Instant start, Instant end, Duration step) {
        List<Series> series = retrying(() -> client.queryRange(promql, start, end, step));
        return series.stream().flatMapToDouble(s -> DoubleStream.of(s.values())).toArray();
    }

    @Override
    public void check(String promql, Instant at) {
        retrying(() -> client.query(promql, at));
    }

    private <T> T retrying(java.util.function.Supplier<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (ExternalSystemException e) {
                if (attempt >= backoff.size()) {
                    throw new PrometheusUnreachableException(e.getMessage() + " (" + (attempt + 1) + " attempts)", e.hint(), e);
                }
                try {
                    sleeper.sleep(backoff.get(attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new io.chatbotctl.core.ChatbotctlException(io.chatbotctl.core.ExitCode.INTERRUPTED, "interrupted", null, interrupted);
                }
            }
        }
    }
}
