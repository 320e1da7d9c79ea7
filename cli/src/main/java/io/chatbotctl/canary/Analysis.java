package io.chatbotctl.canary;

import java.time.Duration;
import java.util.List;

/**
 * An analysis file: what to measure and how to judge it.
 *
 * @param source            where it was read from (a path, or {@code built-in})
 * @param rateWindow        replaces {@code {{window}}} in the queries (the range of {@code rate()})
 * @param resolution        step of the range queries: one sample per track per step; null = the rate window, so that
 *                          samples do not overlap (never less than it)
 * @param confidence        confidence level of the shift's interval, 0.98 as in Kayenta
 * @param effectFraction    Kayenta's effect-size fraction of the Hodges–Lehmann estimate, 0.25
 * @param passScore         score (0–100) from which an interval passes
 * @param marginalScore     score from which an interval is marginal (below: fail)
 * @param failureLimit      consecutive failed intervals that fail the canary
 * @param inconclusiveLimit consecutive inconclusive intervals that end the analysis as inconclusive
 * @param metrics           the metrics
 */
public record Analysis(String source, Duration rateWindow, Duration resolution, double confidence,
                       double effectFraction, double passScore, double marginalScore, int failureLimit,
                       int inconclusiveLimit, List<MetricSpec> metrics) {

    /**
     * The range-query step: the rate window unless set larger. Each sample's {@code rate()} covers the window
     * before it, so samples a window apart share no data: Mann–Whitney needs independent samples, and samples that
     * overlap make its p-values far too small.
     */
    public Duration step() {
        return resolution != null ? resolution : rateWindow;
    }

    /** Samples per track in an interval: one at the end of each whole step inside it. */
    public int samplesPer(Duration interval) {
        return (int) (interval.toMillis() / step().toMillis());
    }
}
