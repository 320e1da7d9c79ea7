package io.chatbotctl.canary;

import io.chatbotctl.eval.GateCheck;
import io.chatbotctl.eval.GateResult;

import java.util.List;

/**
 * The eval gate run against the canary in one interval (through the header route), as the report keeps it.
 *
 * @param verdict          pass, fail or inconclusive (the gate's)
 * @param route            how the requests reached the canary, e.g. {@code X-Canary: always via https://host/v1}
 * @param cases            answers asked for
 * @param passed           answers that passed their assertions
 * @param failed           answers that failed them
 * @param errors           cases without an answer (infrastructure)
 * @param passRate         the canary's pass rate, or null without answers
 * @param baselinePassRate stable's pass rate in the baseline results ({@code --eval-baseline}), or null
 * @param minPassRate      the thresholds' minimum pass rate, or null
 * @param checks           every gate rule with its status
 * @param failingCases     the canary's failing cases with why
 * @param passToFail       flipped: passed in the baseline, fail on the canary
 * @param failToPass       flipped the other way
 * @param reason           the gate's outcome in words
 */
public record EvalEvidence(String verdict, String route, int cases, int passed, int failed, int errors, Double passRate,
                           Double baselinePassRate, Double minPassRate, List<GateCheck> checks,
                           List<GateResult.FailingCase> failingCases, List<String> passToFail, List<String> failToPass,
                           String reason) {
    public static final String METRIC = "eval_gate";

    /** An eval that could not run (the endpoint unreachable): inconclusive. */
    static EvalEvidence unreachable(String route, String why) {
        return new EvalEvidence(GateCheck.INCONCLUSIVE, route, 0, 0, 0, 0, null, null, null, List.of(), List.of(),
                List.of(), List.of(), "the eval could not run: " + why);
    }

    /**
     * The eval as a critical metric of the interval: a failed gate fails it (class Low: fewer passing answers), an
     * inconclusive one has no data (the interval is then inconclusive).
     */
    MetricJudgement toMetric() {
        MetricClass c = switch (verdict) {
            case GateCheck.PASS -> MetricClass.PASS;
            case GateCheck.FAIL -> MetricClass.LOW;
            default -> MetricClass.NO_DATA;
        };
        double canary = passRate == null ? Double.NaN : passRate;
        double stable = baselinePassRate == null ? Double.NaN : baselinePassRate;
        return new MetricJudgement(METRIC, "ratio", true, 1.0, 0, passed + failed, stable, canary, canary - stable,
                Double.isNaN(stable) || stable == 0 ? Double.NaN : 100 * (canary - stable) / stable, Double.NaN, Double.NaN,
                Double.NaN, "eval-gate", minPassRate, 0, c, GateCheck.FAIL.equals(verdict), reason, null, "eval via " + route);
    }
}
