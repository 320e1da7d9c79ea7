package io.chatbotctl.canary;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JudgeTest {
    static final Analysis ANALYSIS = new Analysis("test", Duration.ofSeconds(30), null, 0.98, 0.25, 95, 75, 2, 2, List.of());
    static final Judge JUDGE = new Judge(ANALYSIS);

    static MetricSpec latency(double tolerance, Double threshold, boolean critical) {
        return new MetricSpec("ttft_p95", "q{track=\"{{track}}\"}", "s", Direction.INCREASE, threshold, tolerance, 0, critical, 5, 1);
    }

    static double[] ramp(int n, double start, double step) {
        return IntStream.range(0, n).mapToDouble(i -> start + i * step).toArray();
    }

    static double[] plus(double[] values, double shift) {
        return java.util.Arrays.stream(values).map(v -> v + shift).toArray();
    }

    @Test
    void doubledLatencyIsHighAndFails() {
        double[] stable = ramp(20, 0.10, 0.002);
        double[] canary = java.util.Arrays.stream(stable).map(v -> 2 * v).toArray();
        MetricJudgement m = JUDGE.classify(latency(0.2, null, true), stable, canary);
        assertEquals(MetricClass.HIGH, m.classification());
        assertTrue(m.failed());
        assertTrue(m.lowerConfidence() > m.allowedShift());
    }

    @Test
    void lowerLatencyIsLowButDoesNotFail() {
        double[] stable = ramp(20, 0.20, 0.002);
        MetricJudgement m = JUDGE.classify(latency(0.1, null, true), stable, plus(stable, -0.1));
        assertEquals(MetricClass.LOW, m.classification());
        assertFalse(m.failed());
        assertTrue(m.reason().contains("better"), m.reason());
    }

    @Test
    void decreaseBadMetricFailsWhenLow() {
        MetricSpec throughput = new MetricSpec("tps", "q{{track}}", "tok/s", Direction.DECREASE, null, 0.05, 0, false, 5, 1);
        double[] stable = ramp(12, 100, 1);
        MetricJudgement m = JUDGE.classify(throughput, stable, plus(stable, -30));
        assertEquals(MetricClass.LOW, m.classification());
        assertTrue(m.failed());
    }

    /** The tolerance edge: a shift whose interval starts just above the allowed shift is High, just below is Pass. */
    @Test
    void toleranceEdge() {
        double[] stable = ramp(20, 1.0, 0.01);
        double[] canary = plus(stable, 0.3);
        MannWhitneyResult mw = MannWhitney.test(canary, stable, 0.98);
        double median = Judge.median(stable);
        double atEdge = mw.lowerConfidence() / median;
        assertEquals(MetricClass.HIGH, JUDGE.classify(latency(atEdge * (1 - 1e-9), null, false), stable, canary).classification());
        assertEquals(MetricClass.PASS, JUDGE.classify(latency(atEdge * (1 + 1e-9), null, false), stable, canary).classification());
    }

    /** Kayenta's own bound: with no tolerance, the interval must clear 25% of the estimate. */
    @Test
    void effectFractionEdge() {
        double[] stable = ramp(20, 1.0, 0.01);
        double[] canary = plus(stable, 0.1);
        MannWhitneyResult mw = MannWhitney.test(canary, stable, 0.98);
        double fraction = mw.lowerConfidence() / mw.estimate();
        Judge below = new Judge(new Analysis("t", Duration.ofSeconds(30), null, 0.98, fraction * (1 - 1e-9), 95, 75, 2, 2, List.of()));
        Judge above = new Judge(new Analysis("t", Duration.ofSeconds(30), null, 0.98, fraction * (1 + 1e-9), 95, 75, 2, 2, List.of()));
        assertEquals(MetricClass.HIGH, below.classify(latency(0, null, false), stable, canary).classification());
        assertEquals(MetricClass.PASS, above.classify(latency(0, null, false), stable, canary).classification());
    }

    @Test
    void minShiftIgnoresTinyButSignificantShifts() {
        double[] stable = new double[10];
        double[] canary = new double[10];
        java.util.Arrays.fill(canary, 0.0004); // 0.04% of the KV cache more, every sample
        MetricSpec kv = new MetricSpec("kv", "{{track}}", "ratio", Direction.INCREASE, 0.95, 0.25, 0.05, false, 5, 1);
        assertEquals(MetricClass.PASS, JUDGE.classify(kv, stable, canary).classification());
        MetricSpec strict = new MetricSpec("kv", "{{track}}", "ratio", Direction.INCREASE, 0.95, 0.25, 0, false, 5, 1);
        assertEquals(MetricClass.HIGH, JUDGE.classify(strict, stable, canary).classification());
    }

    @Test
    void absoluteThresholdFailsEvenWhenCanaryEqualsStable() {
        double[] both = ramp(10, 2.5, 0.01);
        MetricJudgement m = JUDGE.classify(latency(0.2, 2.0, true), both, both.clone());
        assertEquals(MetricClass.HIGH, m.classification());
        assertTrue(m.failed());
        assertTrue(m.reason().contains("above the threshold 2"), m.reason());
    }

    @Test
    void constantSamples() {
        double[] zeros = new double[10];
        MetricJudgement same = JUDGE.classify(latency(0, 0.01, true), zeros, zeros.clone());
        assertEquals(MetricClass.PASS, same.classification());
        double[] errors = new double[10];
        java.util.Arrays.fill(errors, 0.05);
        MetricJudgement bad = JUDGE.classify(latency(0, null, true), zeros, errors);
        assertEquals(MetricClass.HIGH, bad.classification());
        assertEquals(0.05, bad.delta(), 1e-12);
    }

    @Test
    void tooFewSamplesOrNaNIsNoData() {
        double[] stable = ramp(10, 1, 0.1);
        assertEquals(MetricClass.NO_DATA, JUDGE.classify(latency(0.2, null, true), stable, ramp(4, 5, 0.1)).classification());
        double[] nans = new double[10];
        java.util.Arrays.fill(nans, Double.NaN);
        MetricJudgement m = JUDGE.classify(latency(0.2, null, true), stable, nans);
        assertEquals(MetricClass.NO_DATA, m.classification());
        assertEquals(0, m.canarySamples());
    }

    @Test
    void noDataIsNeverPass() {
        double[] stable = ramp(10, 1, 0.1);
        MetricJudgement missingCritical = JUDGE.classify(latency(0.2, null, true), stable, new double[0]);
        MetricJudgement fine = JUDGE.classify(new MetricSpec("kv", "{{track}}", "", Direction.INCREASE, null, 0.2, 0, false, 5, 1), stable, stable.clone());
        assertEquals(Verdict.INCONCLUSIVE, JUDGE.judge(List.of(missingCritical, fine)).verdict());
        MetricJudgement missing = JUDGE.classify(latency(0.2, null, false), stable, new double[0]);
        assertEquals(Verdict.INCONCLUSIVE, JUDGE.judge(List.of(missing)).verdict());
        assertEquals(Verdict.INCONCLUSIVE, JUDGE.judge(List.of()).verdict());
    }

    @Test
    void weightedScoreGivesPassMarginalFail() {
        double[] stable = ramp(10, 1, 0.1);
        double[] worse = plus(stable, 5);
        MetricSpec a = new MetricSpec("a", "{{track}}", "", Direction.INCREASE, null, 0.1, 0, false, 5, 3);
        MetricSpec b = new MetricSpec("b", "{{track}}", "", Direction.INCREASE, null, 0.1, 0, false, 5, 1);
        IntervalJudgement pass = JUDGE.judge(List.of(JUDGE.classify(a, stable, stable), JUDGE.classify(b, stable, stable)));
        assertEquals(Verdict.PASS, pass.verdict());
        assertEquals(100, pass.score());
        IntervalJudgement marginal = JUDGE.judge(List.of(JUDGE.classify(a, stable, stable), JUDGE.classify(b, stable, worse)));
        assertEquals(75, marginal.score());
        assertEquals(Verdict.MARGINAL, marginal.verdict());
        IntervalJudgement fail = JUDGE.judge(List.of(JUDGE.classify(a, stable, worse), JUDGE.classify(b, stable, stable)));
        assertEquals(25, fail.score());
        assertEquals(Verdict.FAIL, fail.verdict());
    }

    @Test
    void criticalFailureFailsWhateverTheScore() {
        double[] stable = ramp(10, 1, 0.1);
        MetricSpec critical = new MetricSpec("errors", "{{track}}", "", Direction.INCREASE, null, 0, 0, true, 5, 1);
        MetricSpec other = new MetricSpec("other", "{{track}}", "", Direction.INCREASE, null, 0.1, 0, false, 5, 100);
        IntervalJudgement j = JUDGE.judge(List.of(JUDGE.classify(critical, stable, plus(stable, 5)), JUDGE.classify(other, stable, stable)));
        assertEquals(Verdict.FAIL, j.verdict());
        assertTrue(j.score() > 95);
        assertTrue(j.reason().contains("errors"));
    }

    @Test
    void reportOnlyMetricsDoNotCount() {
        double[] stable = ramp(10, 1, 0.1);
        MetricSpec rate = new MetricSpec("request_rate", "{{track}}", "req/s", Direction.DECREASE, null, 0.1, 0, false, 5, 0);
        MetricSpec ttft = latency(0.2, null, true);
        IntervalJudgement j = JUDGE.judge(List.of(JUDGE.classify(rate, stable, plus(stable, -0.9)), JUDGE.classify(ttft, stable, stable)));
        assertEquals(Verdict.PASS, j.verdict());
    }
}
