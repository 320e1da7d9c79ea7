package io.chatbotctl.eval;

import java.util.List;

/**
 * A run paired case by case (by id) with a baseline run of the same fingerprint. With {@code --repeat}, a case
 * passes when every repetition that got an answer passed; cases without an answer in either run are left out.
 *
 * @param baselineModel            model id of the baseline
 * @param pairs                    cases answered in both runs
 * @param passToFail               ids that passed in the baseline and fail now (the flips; McNemar's b)
 * @param failToPass               ids that failed in the baseline and pass now (McNemar's c)
 * @param mcNemarP                 two-sided exact McNemar p-value of b and c
 * @param baselinePassRate         pass rate of the baseline over the pairs
 * @param passRate                 pass rate of this run over the pairs
 * @param baselineWilsonLowerBound 95% Wilson lower bound of the baseline's pass rate over the pairs
 * @param wilsonLowerBound         95% Wilson lower bound of this run's pass rate over the pairs
 */
public record BaselineComparison(String baselineModel, int pairs, List<String> passToFail, List<String> failToPass,
                                 double mcNemarP, double baselinePassRate, double passRate,
                                 double baselineWilsonLowerBound, double wilsonLowerBound) {
}
