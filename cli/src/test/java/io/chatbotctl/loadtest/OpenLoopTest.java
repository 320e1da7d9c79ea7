package io.chatbotctl.loadtest;

import io.chatbotctl.core.Progress;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopTest {

    /**
     * wrk2's demonstration: the server stalls for 2 s while at most 4 requests may be outstanding (like 4
     * connections). Requests scheduled during the stall wait to be sent; measured from their intended send time
     * (corrected) they show the stall, measured from the actual send (service time) they do not.
     */
    @Test
    void correctedLatencyShowsAStallThatServiceTimeHides() throws Exception {
        try (SseTestServer server = new SseTestServer(10, 2, 3, true)) {
            LoadTestConfig config = LoadTestConfig.builder(server.baseUrl()).model("m").rate(50)
                    .arrival(Arrival.CONSTANT).maxInFlight(4).duration(Duration.ofSeconds(4)).metricsUrl("").build();
            CompletableFuture<LoadTestResult> run = CompletableFuture.supplyAsync(() -> LoadTest.run(config, Progress.NONE));
            while (server.requests.get() < 40) {
                LockSupport.parkNanos(1_000_000);
            }
            server.stallFor(2000);
            LoadTestResult result = run.get();

            Histogram corrected = result.histograms().get("ttft");
            Histogram service = result.histograms().get("ttft_service");
            long correctedOverOneSecond = corrected.getCountBetweenValues(1_000_000, corrected.getMaxValue());
            long serviceOverOneSecond = service.getCountBetweenValues(1_000_000, Math.max(1_000_000, service.getMaxValue()));
            // about 50 requests are scheduled in the stall's first second; each waits more than 1 s to be answered
            assertTrue(correctedOverOneSecond >= 45, "corrected TTFT over 1 s: " + correctedOverOneSecond + "\n" + result.toTable().render());
            assertTrue(corrected.getMaxValue() >= 1_900_000, "corrected max " + corrected.getMaxValue() + " µs");
            // only the requests already in flight when the stall began saw it in their service time
            assertTrue(serviceOverOneSecond <= 4, "service TTFT over 1 s: " + serviceOverOneSecond + "\n" + result.toTable().render());
            assertTrue(result.results().latencies().get("ttft_service").p90Ms() < 500, result.toTable().render());
            assertEquals(0, result.results().failed());
            // waiting for a permit is the server's doing, not the generator's: the 2 s do not count as schedule lag
            // (if they did, the quarter of the requests scheduled in the stall's first half would lag over 1 s)
            assertTrue(result.generator().scheduleLag().p90Ms() < 300, result.toTable().render());
        }
    }

    /**
     * P99 lag under 5 ms, plus the worst stall this JVM's threads suffered meanwhile ({@link WakeUpProbe}'s maximum;
     * ~0.1 ms on an idle machine): lag the generator causes itself shows beyond any platform hiccup.
     */
    @Test
    void poissonScheduleLagStaysUnderFiveMilliseconds() throws Exception {
        try (SseTestServer server = new SseTestServer(5, 1, 3, true); WakeUpProbe probe = new WakeUpProbe()) {
            LoadTestResult result = LoadTest.run(LoadTestConfig.builder(server.baseUrl()).model("m").rate(100)
                    .arrival(Arrival.POISSON).seed(7L).duration(Duration.ofSeconds(5)).metricsUrl("").build(), Progress.NONE);
            MetricSummary lag = result.generator().scheduleLag();
            System.out.println("poisson 100/s: schedule lag p50 " + lag.p50Ms() + " ms, p99 " + lag.p99Ms() + " ms; " + probe);
            assertTrue(lag.p99Ms() < 5 + probe.millisAt(100), "schedule lag p99 " + lag.p99Ms() + " ms; " + probe
                    + String.format(java.util.Locale.ROOT, ", p99.9 %.3f ms", probe.millisAt(99.9)));
            assertTrue(lag.count() > 400, "requests " + lag.count());
            assertEquals(0, result.results().failed());
        }
    }

    @Test
    void constantScheduleHasNoDriftAndRampsUpLinearly() {
        Schedule constant = new Schedule(200, Arrival.CONSTANT, 0, 1);
        long last = 0;
        for (int k = 0; k <= 6000; k++) {
            last = constant.next();
        }
        assertEquals(30_000_000_000L, last, 1000);

        Schedule ramp = new Schedule(100, Arrival.CONSTANT, 10_000_000_000L, 1);
        int inRamp = 0;
        long t;
        while ((t = ramp.next()) < 10_000_000_000L) {
            inRamp++;
        }
        assertEquals(500, inRamp, 1); // half of 100/s × 10 s while the rate rises from 0
        assertEquals(10_000_000_000L, t, 10_000_000L);

        Schedule poisson = new Schedule(100, Arrival.POISSON, 0, 42);
        int n = 0;
        while (poisson.next() < 100_000_000_000L) {
            n++;
        }
        assertEquals(10_000, n, 400); // 100 s at 100/s; a Poisson count's standard deviation is 100
    }
}
