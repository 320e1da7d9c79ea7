package io.chatbotctl.canary;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.RetryPolicy;
import io.chatbotctl.prometheus.PrometheusClient;
import io.chatbotctl.prometheus.Series;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.DoubleStream;

/** Range queries on Prometheus, retried by the policy: an unreachable Prometheus fails only after every attempt. */
public final class PrometheusMetricSource implements MetricSource {
    private final PrometheusClient client;
    private final RetryPolicy retry;

    public PrometheusMetricSource(PrometheusClient client, RetryPolicy retry) {
        this.client = client;
        this.retry = retry;
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

    private <T> T retrying(Supplier<T> call) {
        RetryPolicy.Result<T> result;
        try {
            result = retry.run(n -> {
                try {
                    return RetryPolicy.Outcome.done(call.get());
                } catch (ExternalSystemException e) {
                    return RetryPolicy.Outcome.failed(e, null);
                }
            });
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ChatbotctlException(ExitCode.INTERRUPTED, "interrupted", null, interrupted);
        }
        if (result.failure() instanceof ExternalSystemException e) {
            throw new PrometheusUnreachableException(e.getMessage() + " (" + result.attempts() + " attempts)", e.hint(), e);
        }
        return result.value();
    }
}
