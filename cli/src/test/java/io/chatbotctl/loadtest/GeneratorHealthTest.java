package io.chatbotctl.loadtest;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator-health check covers the first sends: a late start cannot hide in the percentiles of a long run. */
class GeneratorHealthTest {

    private static LoadTestResult result(long lateFirstSendMillis) {
        LoadTestConfig config = LoadTestConfig.builder("http://127.0.0.1:1/v1").model("m").concurrency(64).requests(10_000)
                .maxScheduleLag(java.time.Duration.ofMillis(10)).build();
        Map<String, Histogram> totals = new LinkedHashMap<>();
        for (String metric : Recording.metrics(false)) {
            totals.put(metric, new Histogram(3));
        }
        Histogram lag = totals.get(Recording.SCHEDULE_LAG);
        lag.recordValueWithCount(200, 9_936);                 // 0.2 ms: every later send left on time
        lag.recordValueWithCount(lateFirstSendMillis * 1000, 64); // the first 64: 0.6% of the run, under P99
        return new ResultBuilder(config, "m", new Recording(false, List.of()), totals, List.of(), Instant.now(), 10_000,
                0, 1, 2, 0, 1, null).firstSends(64, 64, lateFirstSendMillis * 1_000_000).build();
    }

    @Test
    void firstSendsThatLeftLateMakeTheRunInvalidThoughTheP99IsFine() {
        LoadTestResult late = result(140);
        assertTrue(late.generator().scheduleLag().p99Ms() < 1, "the P99 alone would pass: " + late.generator());
        assertFalse(late.valid());
        assertEquals("the first 64 sends left up to 140.00 ms late (> 10 ms), so the first requests would be measured late",
                late.statusReason());
        assertTrue(late.toTable().render().contains("64 streams primed before the clock, send lag p99"), late.toTable().render());
    }

    @Test
    void anOpenLoopIsAlsoJudgedOnItsSendLagP99() {
        LoadTestConfig config = LoadTestConfig.builder("http://127.0.0.1:1/v1").model("m").rate(100).requests(1000).build();
        Map<String, Histogram> totals = new LinkedHashMap<>();
        for (String metric : Recording.metrics(true)) {
            totals.put(metric, new Histogram(3));
        }
        totals.get(Recording.SCHEDULE_LAG).recordValueWithCount(50_000, 1000);
        LoadTestResult r = new ResultBuilder(config, "m", new Recording(true, List.of()), totals, List.of(), Instant.now(),
                1000, 0, 1, 2, 0, 1, null).firstSends(100, 100, 1_000_000).build();
        assertFalse(r.valid());
        assertTrue(r.statusReason().startsWith("the generator fell behind: send lag p99 50.0"), r.statusReason());
    }

    @Test
    void firstSendsOnTimeAreValid() {
        LoadTestResult onTime = result(3);
        assertTrue(onTime.valid(), onTime.statusReason());
        assertEquals(3.0, onTime.generator().firstSendsLagMaxMs());
    }
}
