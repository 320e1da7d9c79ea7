package io.chatbotctl.canary;

import java.util.List;

/**
 * The judge's verdict on one interval.
 *
 * @param verdict Pass, Marginal, Fail or Inconclusive
 * @param score   weighted share (0–100) of judged metrics that did not fail; NaN when none could be judged
 * @param reason  why, in words
 * @param metrics every metric's judgement
 */
public record IntervalJudgement(Verdict verdict, double score, String reason, List<MetricJudgement> metrics) {
}
