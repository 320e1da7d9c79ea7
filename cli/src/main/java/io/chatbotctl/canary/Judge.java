package io.chatbotctl.canary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Kayenta's NetflixACAJudge rules, plus absolute thresholds and a relative tolerance.
 *
 * <p>Per metric: fewer than {@code minSamples} values in either track is NoData. Otherwise a two-sided Mann–Whitney
 * U test of canary against stable gives the Hodges–Lehmann shift and its confidence interval (98%). As in Kayenta's
 * {@code MannWhitneyClassifier}, the metric is High when the whole interval lies above an allowed shift, Low when
 * it lies below minus that shift, Pass otherwise; Kayenta's allowed shift is 25% of |estimate|, ours is the largest
 * of that, the metric's tolerance times stable's median and its {@code minShift} (a shift can be significant and
 * still harmless).
 * A class in the metric's bad direction, or a canary mean beyond the absolute threshold, fails the metric.
 *
 * <p>Per interval: the score is the weighted share of judged metrics that did not fail. A failed critical metric
 * fails the interval; a critical metric without data, or judged metrics carrying less than half the weight, make
 * it Inconclusive; otherwise the score decides Pass / Marginal / Fail.
 */
public final class Judge {
    private final Analysis analysis;

    public Judge(Analysis analysis) {
        this.analysis = analysis;
    }

    public MetricJudgement classify(MetricSpec spec, double[] stableValues, double[] canaryValues) {
        double[] stable = finite(stableValues);
        double[] canary = finite(canaryValues);
        double stableMedian = median(stable);
        double canaryMedian = median(canary);
        if (stable.length < spec.minSamples() || canary.length < spec.minSamples()) {
            String reason = "too few samples: stable " + stable.length + ", canary " + canary.length
                    + " (needs " + spec.minSamples() + ")";
            return judgement(spec, stable, canary, stableMedian, canaryMedian, null, Double.NaN, MetricClass.NO_DATA,
                    false, reason);
        }
        String breach = thresholdBreach(spec, mean(canary));
        double[] sortedStable = sorted(stable);
        double[] sortedCanary = sorted(canary);
        if (Arrays.equals(sortedStable, sortedCanary)) {
            MetricClass c = breach == null ? MetricClass.PASS : bad(spec.direction());
            return judgement(spec, stable, canary, stableMedian, canaryMedian, null, 0, c, breach != null,
                    breach != null ? breach : "identical samples");
        }
        MannWhitneyResult mw = MannWhitney.test(canary, stable, analysis.confidence());
        double allowed = Math.max(Math.max(analysis.effectFraction() * Math.abs(mw.estimate()),
                spec.tolerance() * Math.abs(stableMedian)), spec.minShift());
        MetricClass c = MetricClass.PASS;
        if (mw.lowerConfidence() > allowed) {
            c = MetricClass.HIGH;
        } else if (mw.upperConfidence() < -allowed) {
            c = MetricClass.LOW;
        }
        boolean worse = c == bad(spec.direction());
        String reason;
        if (breach != null) {
            reason = breach;
            c = bad(spec.direction());
        } else if (c == MetricClass.PASS) {
            reason = "shift within ±" + number(allowed) + " " + spec.unit() + " at " + percent(analysis.confidence());
        } else {
            reason = (c == MetricClass.HIGH ? "higher" : "lower") + " than stable beyond ±" + number(allowed)
                    + " " + spec.unit() + " (p=" + String.format(Locale.ROOT, "%.2g", mw.pValue()) + ")"
                    + (worse ? "" : ": better");
        }
        return new MetricJudgement(spec.name(), spec.unit(), spec.critical(), spec.weight(), stable.length,
                canary.length, stableMedian, canaryMedian, mw.estimate(), relative(mw.estimate(), stableMedian),
                mw.lowerConfidence(), mw.upperConfidence(), mw.pValue(), mw.method(), spec.threshold(), allowed, c,
                worse || breach != null, reason, null, null);
    }

    public IntervalJudgement judge(List<MetricJudgement> metrics) {
        double totalWeight = 0;
        double judgedWeight = 0;
        double passedWeight = 0;
        List<String> criticalFailures = new ArrayList<>();
        List<String> criticalMissing = new ArrayList<>();
        for (MetricJudgement m : metrics) {
            totalWeight += m.weight();
            if (m.classification() == MetricClass.NO_DATA) {
                if (m.critical()) {
                    criticalMissing.add(m.metric());
                }
                continue;
            }
            judgedWeight += m.weight();
            if (!m.failed()) {
                passedWeight += m.weight();
            } else if (m.critical()) {
                criticalFailures.add(m.metric());
            }
        }
        double score = judgedWeight > 0 ? 100 * passedWeight / judgedWeight : Double.NaN;
        if (!criticalFailures.isEmpty()) {
            return new IntervalJudgement(Verdict.FAIL, score, "critical metric failed: " + String.join(", ", criticalFailures), metrics);
        }
        if (!criticalMissing.isEmpty()) {
            return new IntervalJudgement(Verdict.INCONCLUSIVE, score,
                    "no data for critical metric " + String.join(", ", criticalMissing), metrics);
        }
        if (judgedWeight == 0 || judgedWeight < totalWeight / 2) {
            return new IntervalJudgement(Verdict.INCONCLUSIVE, score, "metrics with data carry "
                    + Math.round(totalWeight == 0 ? 0 : 100 * judgedWeight / totalWeight) + "% of the weight (needs 50%)", metrics);
        }
        String scoreText = "score " + Math.round(score) + " (pass ≥ " + number(analysis.passScore())
                + ", marginal ≥ " + number(analysis.marginalScore()) + ")";
        if (score >= analysis.passScore()) {
            return new IntervalJudgement(Verdict.PASS, score, scoreText, metrics);
        }
        return new IntervalJudgement(score >= analysis.marginalScore() ? Verdict.MARGINAL : Verdict.FAIL, score, scoreText, metrics);
    }

    private static String thresholdBreach(MetricSpec spec, double canaryMean) {
        Double t = spec.threshold();
        if (t == null) {
            return null;
        }
        if (spec.direction() == Direction.INCREASE && canaryMean > t) {
            return "canary mean " + number(canaryMean) + " " + spec.unit() + " above the threshold " + number(t);
        }
        if (spec.direction() == Direction.DECREASE && canaryMean < t) {
            return "canary mean " + number(canaryMean) + " " + spec.unit() + " below the threshold " + number(t);
        }
        return null;
    }

    private static MetricJudgement judgement(MetricSpec spec, double[] stable, double[] canary, double stableMedian,
                                             double canaryMedian, MannWhitneyResult mw, double delta, MetricClass c,
                                             boolean failed, String reason) {
        return new MetricJudgement(spec.name(), spec.unit(), spec.critical(), spec.weight(), stable.length,
                canary.length, stableMedian, canaryMedian, delta, relative(delta, stableMedian), delta, delta,
                c == MetricClass.NO_DATA ? Double.NaN : 1.0, c == MetricClass.NO_DATA ? "none" : "identical",
                spec.threshold(), Double.NaN, c, failed, reason, null, null);
    }

    private static MetricClass bad(Direction direction) {
        return direction == Direction.INCREASE ? MetricClass.HIGH : MetricClass.LOW;
    }

    /** Prometheus answers NaN for 0/0 (no requests) and ±Inf past the last bucket; neither is a sample. */
    private static double[] finite(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).toArray();
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** The mean: what the absolute threshold is checked on (sparse events like errors leave most samples at 0). */
    static double mean(double[] values) {
        return java.util.Arrays.stream(values).average().orElse(Double.NaN);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = sorted(values);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double relative(double delta, double base) {
        return base == 0 || Double.isNaN(delta) ? Double.NaN : 100 * delta / Math.abs(base);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String percent(double fraction) {
        return number(100 * fraction) + "%";
    }
}
