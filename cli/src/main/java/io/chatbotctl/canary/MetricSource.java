package io.chatbotctl.canary;

import java.time.Duration;
import java.time.Instant;

/** Where the analysis reads its samples: Prometheus range queries in production. */
public interface MetricSource {
    /** Every value of every series the query returns from start to end at the given step (series are pooled). */
    double[] samples(String promql, Instant start, Instant end, Duration step);

    /** Checks a query once before anything changes (bad PromQL: exit 3; unreachable: exit 4). */
    void check(String promql, Instant at);
}
