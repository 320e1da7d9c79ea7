package io.chatbotctl.canary;

/**
 * One metric of the analysis file.
 *
 * @param name       short name shown in the table, e.g. {@code ttft_p95}
 * @param query      PromQL template; {@code {{track}}}, {@code {{namespace}}} and {@code {{window}}} are replaced
 * @param unit       unit of the query's values, for display ({@code s}, {@code ratio}, {@code req/s}, …)
 * @param direction  which way is worse
 * @param threshold  absolute limit for the mean of the canary's samples in the bad direction, or null for none
 * @param tolerance  relative tolerance against stable: shifts within this fraction of stable's median pass
 * @param minShift   absolute floor in the metric's unit: shifts within ±this are never a regression (0 = none)
 * @param critical   a failure fails the interval and missing data makes it inconclusive
 * @param minSamples fewer samples than this in either track is NoData
 * @param weight     weight in the score; 0 reports the metric without judging the interval by it
 */
public record MetricSpec(String name, String query, String unit, Direction direction, Double threshold,
                         double tolerance, double minShift, boolean critical, int minSamples, double weight) {

    /** The query for one track. */
    public String resolve(String track, String namespace, String window) {
        return query.replace("{{track}}", track).replace("{{namespace}}", namespace).replace("{{window}}", window);
    }
}
