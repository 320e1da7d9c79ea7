package io.chatbotctl.canary;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One analysis interval: the weight it ran at, the judgement and what the watch did next.
 *
 * @param index   1-based
 * @param weight  canary weight in percent during the interval
 * @param start   start of the queried window
 * @param end     end of the queried window
 * @param verdict Pass, Marginal, Fail or Inconclusive
 * @param score   0–100, NaN when nothing could be judged
 * @param reason  why
 * @param action  what followed, e.g. {@code weight 10% -> 25%}, {@code hold at 10%}, {@code rolled back}
 * @param metrics every metric's judgement, the eval gate's ({@code eval_gate}) among them when the eval runs
 * @param eval    the eval against the canary in this interval (values, checks, flipped cases), or null without one
 */
public record IntervalReport(int index, int weight, Instant start, Instant end, Verdict verdict, double score,
                             String reason, String action, List<MetricJudgement> metrics, EvalEvidence eval)
        implements Tabular {

    @Override
    public Table toTable() {
        return toTable(false);
    }

    /** The live table; with {@code verbose} every metric's resolved PromQL under it. */
    public Table toTable(boolean verbose) {
        Table.Builder t = Table.of("METRIC", "STABLE", "CANARY", "DELTA", "98% CI", "THRESHOLD", "CLASS", "REASON");
        for (MetricJudgement m : metrics) {
            t.row(m.metric() + (m.critical() ? "*" : ""), value(m.stable(), m.unit()), value(m.canary(), m.unit()),
                    delta(m), ci(m), m.threshold() == null ? "-" : Judge.number(m.threshold()),
                    m.classification() + (m.failed() ? "!" : ""), m.reason());
        }
        if (eval != null) {
            t.note("  eval: " + eval.reason());
            if (!eval.passToFail().isEmpty()) {
                t.note("  eval flipped pass -> fail: " + String.join(", ", eval.passToFail()));
            }
            if (!eval.failToPass().isEmpty()) {
                t.note("  eval flipped fail -> pass: " + String.join(", ", eval.failToPass()));
            }
            eval.failingCases().forEach(c -> t.note("  eval failing: " + c.id() + " (" + c.severity() + "): " + c.why()));
        }
        if (verbose) {
            for (MetricJudgement m : metrics) {
                t.note("  " + m.metric() + " stable: " + m.stableQuery());
                t.note("  " + m.metric() + " canary: " + m.canaryQuery());
            }
        }
        t.note("interval " + index + " at weight " + weight + "%: " + verdict
                + (Double.isNaN(score) ? "" : String.format(Locale.ROOT, " (score %.0f)", score)) + ", " + reason
                + " -> " + action);
        return t.build();
    }

    private static String value(double v, String unit) {
        return Double.isNaN(v) ? "-" : Judge.number(v) + (unit.isEmpty() || unit.equals("ratio") ? "" : " " + unit);
    }

    private static String delta(MetricJudgement m) {
        if (Double.isNaN(m.delta())) {
            return "-";
        }
        String d = (m.delta() > 0 ? "+" : "") + Judge.number(m.delta());
        return Double.isNaN(m.deltaPercent()) ? d : d + String.format(Locale.ROOT, " (%+.0f%%)", m.deltaPercent());
    }

    private static String ci(MetricJudgement m) {
        if (Double.isNaN(m.lowerConfidence())) {
            return "-";
        }
        return "[" + Judge.number(m.lowerConfidence()) + ", " + Judge.number(m.upperConfidence()) + "]";
    }
}
