package io.chatbotctl.canary;

import io.chatbotctl.testing.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis loop on scripted samples and a fake clock: the decisions, not the statistics (JudgeTest does those). */
class CanaryWatchTest {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    static final double[] GOOD = {0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19};
    static final double[] SLOW = java.util.Arrays.stream(GOOD).map(v -> v * 2).toArray();

    final MutableClock clock = new MutableClock(T0);
    final List<String> calls = new ArrayList<>();
    final List<String> windows = new ArrayList<>();
    final Analysis analysis = new Analysis("test", Duration.ofSeconds(10), null, 0.98, 0.25, 95, 75, 2, 2,
            List.of(new MetricSpec("ttft_p95", "ttft{track=\"{{track}}\",namespace=\"{{namespace}}\"}[{{window}}]", "s",
                    Direction.INCREASE, null, 0.2, 0, true, 5, 1)));

    /** canary samples per interval index (1-based); stable is always GOOD. */
    CanaryWatch watch(Function<Integer, double[]> canary) {
        return watch(canary, null);
    }

    CanaryWatch watch(Function<Integer, double[]> canary, QualityCheck quality) {
        MetricSource source = new MetricSource() {
            @Override
            public double[] samples(String promql, Instant start, Instant end, Duration step) {
                calls.add("query " + promql);
                windows.add(Duration.between(T0, start).toSeconds() + "-" + Duration.between(T0, end).toSeconds() + "/" + step.toSeconds());
                int index = (int) (Duration.between(T0, start).toSeconds() / 60) + 1;
                return promql.contains("canary") ? canary.apply(index) : GOOD;
            }

            @Override
            public void check(String promql, Instant at) {
                calls.add("check");
            }
        };
        CanaryTraffic traffic = new CanaryTraffic() {
            public void setWeight(int percent) {
                calls.add("weight " + percent);
            }

            public String promote(Progress p) {
                calls.add("promote");
                return "promoted";
            }

            public String rollback(Progress p) {
                calls.add("rollback");
                return "rolled back";
            }
        };
        return new CanaryWatch(analysis, source, traffic, clock, clock::advance, quality);
    }

    WatchOptions options(boolean dryRun, Path out) {
        return new WatchOptions("ai-serving", List.of(5, 25, 50), Duration.ofMinutes(1), true, true, dryRun, null, null, out);
    }

    List<String> changes() {
        return calls.stream().filter(c -> !c.startsWith("query") && !c.equals("check")).toList();
    }

    @Test
    void passingEveryStepPromotes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("canary-report.json");
        CanaryReport r = watch(i -> GOOD).run(options(false, out), i -> {}, Progress.NONE);
        assertEquals(Outcome.PROMOTED, r.outcome());
        assertEquals(0, r.exitCode());
        assertEquals(List.of("weight 5", "weight 25", "weight 50", "promote"), changes());
        assertEquals(List.of(5, 25, 50), r.intervals().stream().map(IntervalReport::weight).toList());
        assertTrue(calls.contains("query ttft{track=\"canary\",namespace=\"ai-serving\"}[10s]"), calls.toString());
        // one sample per rate window, each window inside the interval: 6 samples from 10 s to 60 s, no overlap
        assertEquals("10-60/10", windows.get(0));
        assertEquals("70-120/10", windows.get(2));
        JsonNode json = Json.mapper().readTree(out.toFile());
        assertEquals("Promoted", json.get("outcome").asText());
        assertEquals(3, json.get("intervals").size());
        assertEquals("Pass", json.at("/intervals/0/metrics/0/classification").asText());
    }

    @Test
    void failingTwiceInARowRollsBack() throws Exception {
        CanaryReport r = watch(i -> i == 1 ? GOOD : SLOW).run(options(false, null), i -> {}, Progress.NONE);
        assertEquals(Outcome.ROLLED_BACK, r.outcome());
        assertEquals(1, r.exitCode());
        assertEquals(List.of("weight 5", "weight 25", "rollback"), changes());
        assertEquals(List.of(Verdict.PASS, Verdict.FAIL, Verdict.FAIL), r.intervals().stream().map(IntervalReport::verdict).toList());
        assertEquals(0, r.finalWeight());
    }

    @Test
    void oneFailureThenPassRecovers() throws Exception {
        CanaryReport r = watch(i -> i == 2 ? SLOW : GOOD).run(options(false, null), i -> {}, Progress.NONE);
        assertEquals(Outcome.PROMOTED, r.outcome());
        assertEquals(List.of("weight 5", "weight 25", "weight 50", "promote"), changes());
    }

    @Test
    void noCanaryDataIsInconclusiveAndNeverPromotes() throws Exception {
        CanaryReport r = watch(i -> new double[]{Double.NaN, Double.NaN}).run(options(false, null), i -> {}, Progress.NONE);
        assertEquals(Outcome.INCONCLUSIVE, r.outcome());
        assertEquals(5, r.exitCode());
        assertEquals(List.of("weight 5"), changes());
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        CanaryReport r = watch(i -> SLOW).run(options(true, null), i -> {}, Progress.NONE);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(List.of(), changes());
    }

    @Test
    void replayJudgesAPastWindowWithoutWaitingOrChanging() throws Exception {
        Instant before = clock.instant();
        WatchOptions replay = new WatchOptions("ai-serving", List.of(5, 25, 50), Duration.ofMinutes(1), true, true, false,
                T0, T0.plus(Duration.ofMinutes(10)), null);
        CanaryReport r = watch(i -> GOOD).run(replay, i -> {}, Progress.NONE);
        assertEquals(Outcome.PASSED, r.outcome());
        assertTrue(r.replay());
        assertEquals(List.of(), changes());
        assertEquals(before, clock.instant());
        assertEquals(T0.plus(Duration.ofMinutes(3)), r.finishedAt());
    }

    @Test
    void prometheusUnreachableStopsWithNothingPromoted(@TempDir Path dir) throws Exception {
        MetricSource down = new MetricSource() {
            public double[] samples(String promql, Instant s, Instant e, Duration step) {
                throw new PrometheusUnreachableException("cannot reach Prometheus at http://127.0.0.1:1/: connection refused (4 attempts)", null, null);
            }

            public void check(String promql, Instant at) {
            }
        };
        CanaryTraffic traffic = new CanaryTraffic() {
            public void setWeight(int percent) {
                calls.add("weight " + percent);
            }

            public String promote(Progress p) {
                throw new AssertionError("promoted");
            }

            public String rollback(Progress p) {
                throw new AssertionError("rolled back");
            }
        };
        Path out = dir.resolve("r.json");
        CanaryReport r = new CanaryWatch(analysis, down, traffic, clock, clock::advance).run(options(false, out), i -> {}, Progress.NONE);
        assertEquals(Outcome.PROMETHEUS_UNREACHABLE, r.outcome());
        assertEquals(4, r.exitCode());
        assertEquals(List.of("weight 5"), changes());
        assertTrue(out.toFile().isFile());
    }

    @Test
    void anIntervalTooShortForNonOverlappingSamplesIsRefused() {
        WatchOptions shortInterval = new WatchOptions("ns", List.of(10), Duration.ofSeconds(40), false, false, true, null, null, null);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> watch(i -> GOOD).run(shortInterval, i -> {}, Progress.NONE));
        assertEquals("an interval of 40s holds 4 non-overlapping samples of 10s per track; ttft_p95 needs 5", e.getMessage());
        assertEquals("use --interval 50s or more, or a shorter rateWindow in the analysis file", e.hint());
        assertEquals(List.of(), calls, "refused before anything was asked or changed");
    }

    static EvalEvidence eval(String verdict) {
        return new EvalEvidence(verdict, "X-Canary: always via http://gw/v1", 5, verdict.equals("pass") ? 5 : 3,
                verdict.equals("pass") ? 0 : 2, 0, verdict.equals("pass") ? 1.0 : 0.6, 1.0, 1.0, List.of(), List.of(),
                verdict.equals("pass") ? List.of() : List.of("smoke-ko-refund"), List.of(), "eval gate " + verdict);
    }

    @Test
    void aFailedEvalGateFailsTheIntervalWithEqualLatency(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r.json");
        CanaryReport r = watch(i -> GOOD, i -> eval(i == 1 ? "pass" : "fail")).run(options(false, out), i -> {}, Progress.NONE);
        assertEquals(Outcome.ROLLED_BACK, r.outcome());
        assertEquals(List.of("weight 5", "weight 25", "rollback"), changes());
        IntervalReport failed = r.intervals().get(1);
        assertEquals("critical metric failed: eval_gate", failed.reason());
        MetricJudgement gate = failed.metrics().get(failed.metrics().size() - 1);
        assertEquals(MetricClass.LOW, gate.classification());
        assertEquals(0.6, gate.canary(), 1e-9);
        assertEquals(1.0, gate.stable(), 1e-9);
        JsonNode json = Json.mapper().readTree(out.toFile());
        assertEquals("smoke-ko-refund", json.at("/intervals/1/eval/passToFail/0").asText());
        assertEquals("eval_gate", json.at("/intervals/1/metrics/1/metric").asText());
    }

    @Test
    void anInconclusiveEvalGateMakesTheIntervalInconclusive() throws Exception {
        CanaryReport r = watch(i -> GOOD, i -> eval("inconclusive")).run(options(false, null), i -> {}, Progress.NONE);
        assertEquals(Outcome.INCONCLUSIVE, r.outcome());
        assertEquals("no data for critical metric eval_gate", r.intervals().get(0).reason());
        assertEquals(List.of("weight 5"), changes());
    }

    @Test
    void rejectsBadSteps() {
        WatchOptions bad = new WatchOptions("ns", List.of(10, 5), Duration.ofMinutes(1), false, false, true, null, null, null);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> watch(i -> GOOD).run(bad, i -> {}, Progress.NONE));
        assertTrue(e.getMessage().contains("increasing"), e.getMessage());
    }
}
