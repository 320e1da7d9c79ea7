package io.chatbotctl.canary;

/**
 * One metric's outcome in one interval. Values are in the metric's {@code unit}; NaN when there was nothing to compute.
 *
 * @param metric          the metric's name
 * @param unit            unit of the values
 * @param critical        whether it is critical
 * @param weight          weight in the score
 * @param stableSamples   samples of stable in the interval
 * @param canarySamples   samples of the canary in the interval
 * @param stable          median of stable's samples
 * @param canary          median of the canary's samples
 * @param delta           Hodges–Lehmann shift canary − stable
 * @param deltaPercent    the shift as a percentage of stable's median (NaN when that is 0)
 * @param lowerConfidence lower end of the shift's confidence interval
 * @param upperConfidence upper end of the shift's confidence interval
 * @param pValue          two-sided Mann–Whitney p-value
 * @param method          {@code exact}, {@code normal}, {@code identical} or {@code none}
 * @param threshold       the absolute limit, or null
 * @param allowedShift    shifts whose interval stays within ±this are not significant: max(effect · |delta|, tolerance · |stable|, minShift)
 * @param classification  Pass, High, Low or NoData
 * @param failed          whether the metric counts as failed (worse direction, or over its threshold)
 * @param reason          why, in words
 * @param stableQuery     the resolved PromQL for stable
 * @param canaryQuery     the resolved PromQL for the canary
 */
public record MetricJudgement(String metric, String unit, boolean critical, double weight, int stableSamples,
                              int canarySamples, double stable, double canary, double delta, double deltaPercent,
                              double lowerConfidence, double upperConfidence, double pValue, String method,
                              Double threshold, double allowedShift, MetricClass classification, boolean failed,
                              String reason, String stableQuery, String canaryQuery) {

    MetricJudgement withQueries(String stableQuery, String canaryQuery) {
        return new MetricJudgement(metric, unit, critical, weight, stableSamples, canarySamples, stable, canary, delta,
                deltaPercent, lowerConfidence, upperConfidence, pValue, method, threshold, allowedShift,
                classification, failed, reason, stableQuery, canaryQuery);
    }
}
