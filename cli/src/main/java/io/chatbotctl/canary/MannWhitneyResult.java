package io.chatbotctl.canary;

/**
 * A two-sided Mann–Whitney U test of canary against stable, with the Hodges–Lehmann shift.
 *
 * @param u                U of the canary sample: pairs (canary, stable) with canary > stable, ties counting ½
 * @param pValue           two-sided p-value
 * @param method           {@code exact} (the exact null distribution) or {@code normal} (tie- and continuity-corrected
 *                         normal approximation)
 * @param estimate         Hodges–Lehmann estimate: median of all differences canary − stable, in the metric's unit
 * @param lowerConfidence  lower end of the confidence interval of the shift
 * @param upperConfidence  upper end of the confidence interval of the shift
 * @param confidenceLevel  e.g. 0.98
 */
public record MannWhitneyResult(double u, double pValue, String method, double estimate,
                                double lowerConfidence, double upperConfidence, double confidenceLevel) {
}
