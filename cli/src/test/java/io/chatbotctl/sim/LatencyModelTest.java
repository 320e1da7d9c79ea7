package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.report.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TTFT and inter-token latency as a client measures them, against the configured model. Tolerances:
 * ITL (mean gap of each stream) within 10% of {@code --itl}; TTFT median between the configured prefill and
 * prefill + 25 ms (HTTP, scheduling on a shared 2-core machine).
 */
class LatencyModelTest {
    static final Duration ITL = Duration.ofMillis(20);
    static final Duration PREFILL_PER_1K = Duration.ofMillis(100);
    static final int OUTPUT_TOKENS = 25;

    /** A user message of about 1,000 tokens, so the prefill (100 ms) stands out. */
    static final String LONG_MESSAGE = "word ".repeat(990).trim();

    record Measured(double ttftMillis, double itlMillis, long serverTtftNanos) {
    }

    static Measured measure(Simulator sim) throws Exception {
        return measured(SimHttp.stream(sim.baseUrl() + "/chat/completions",
                SimHttp.chat(LONG_MESSAGE, OUTPUT_TOKENS, true)));
    }

    /** Client TTFT (send to first content chunk) and ITL (mean gap between content chunks) of one stream. */
    static Measured measured(SimHttp.Stream s) {
        assertEquals(200, s.status(), s.error());
        List<Long> contentTimes = new ArrayList<>();
        for (SimHttp.Event e : s.events()) {
            if (e.data().contains("\"delta\":{\"content\":")) {
                contentTimes.add(e.nanos());
            }
        }
        assertEquals(OUTPUT_TOKENS, contentTimes.size());
        double ttft = (contentTimes.get(0) - s.sentNanos()) / 1e6;
        double itl = (contentTimes.get(OUTPUT_TOKENS - 1) - contentTimes.get(0)) / 1e6 / (OUTPUT_TOKENS - 1);
        return new Measured(ttft, itl, 0);
    }

    static SimConfig.Builder config() {
        return SimConfig.builder().port(0).itl(ITL).prefillPer1kTokens(PREFILL_PER_1K).maxNumSeqs(256).seed(1L);
    }

    static double expectedPrefillMillis() {
        int prompt = Tokenizer.countChat(List.of(new ChatMessage("user", LONG_MESSAGE)));
        return PREFILL_PER_1K.toNanos() / 1e6 * prompt / 1000;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    @Test
    void concurrencyOneMatchesTheConfiguredLatencies() throws Exception {
        try (Simulator sim = Simulator.start(config().build())) {
            measure(sim); // warm-up: class loading and JIT
            double[] ttft = new double[5];
            double[] itl = new double[5];
            for (int i = 0; i < ttft.length; i++) {
                Measured m = measure(sim);
                ttft[i] = m.ttftMillis();
                itl[i] = m.itlMillis();
            }
            assertWithin(median(itl), 20.0, 0.10, "ITL at concurrency 1 (median of 5 streams)");
            double expected = expectedPrefillMillis();
            double med = median(ttft);
            assertTrue(med >= expected - 1 && med <= expected + 25,
                    "TTFT median " + med + " ms, expected " + expected + " ms (+25 ms)");
            for (RequestRecord r : sim.requestLog()) {
                assertTrue(r.ttftNanos() / 1e6 >= expected - 1, "server-side TTFT " + r.ttftNanos() / 1e6);
            }
        }
    }

    @Test
    void concurrency256MatchesTheConfiguredLatencies() throws Exception {
        int concurrency = 256;
        try (Simulator sim = Simulator.start(config().build())) {
            measure(sim);
            List<CompletableFuture<SimHttp.Stream>> streams = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                streams.add(SimHttp.streamAsync(SimHttp.CLIENT, sim.baseUrl() + "/chat/completions",
                        SimHttp.chat(LONG_MESSAGE, OUTPUT_TOKENS, true)));
            }
            double[] ttft = new double[concurrency];
            double[] itl = new double[concurrency];
            for (int i = 0; i < concurrency; i++) {
                Measured m = measured(streams.get(i).get());
                ttft[i] = m.ttftMillis();
                itl[i] = m.itlMillis();
            }
            double[] serverTtft = sim.requestLog().stream().mapToDouble(r -> r.ttftNanos() / 1e6).toArray();
            System.out.printf("concurrency 256: client TTFT median %.1f ms, ITL median %.2f ms; server TTFT median %.1f ms%n",
                    median(ttft), median(itl), median(serverTtft));
            assertWithin(median(itl), 20.0, 0.10, "median ITL at concurrency 256");
            assertWithin(Arrays.stream(itl).average().orElseThrow(), 20.0, 0.10, "mean ITL at concurrency 256");
            double expected = expectedPrefillMillis();
            double med = median(ttft);
            assertTrue(med >= expected - 1 && med <= expected + 50,
                    "TTFT median " + med + " ms at concurrency 256, expected " + expected + " ms (+50 ms)");
            assertEquals(0, sim.waitingRequests());
        }
    }

    @Test
    void requestsBeyondMaxNumSeqsQueueAndTtftIncludesTheWait() throws Exception {
        int slots = 4;
        int concurrency = 12;
        int tokens = 20;
        Duration itl = Duration.ofMillis(10);
        try (Simulator sim = Simulator.start(SimConfig.builder().port(0).maxNumSeqs(slots).itl(itl)
                .prefillPer1kTokens(Duration.ZERO).build())) {
            ExecutorService pool = Executors.newFixedThreadPool(concurrency + 1);
            try {
                AtomicInteger maxWaiting = new AtomicInteger();
                Future<?> watcher = pool.submit(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        maxWaiting.accumulateAndGet(waitingGauge(sim), Math::max);
                        Thread.sleep(5);
                    }
                    return null;
                });
                List<Callable<Double>> tasks = new ArrayList<>();
                for (int i = 0; i < concurrency; i++) {
                    tasks.add(() -> {
                        SimHttp.Stream s = SimHttp.stream(sim.baseUrl() + "/chat/completions",
                                SimHttp.chat("hi", tokens, true));
                        return (s.events().get(1).nanos() - s.sentNanos()) / 1e6;
                    });
                }
                double[] ttft = pool.invokeAll(tasks).stream().mapToDouble(f -> {
                    try {
                        return f.get();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).sorted().toArray();
                watcher.cancel(true);
                assertTrue(maxWaiting.get() > 0, "vllm:num_requests_waiting never went above 0");
                // 4 slots, 12 requests of 20 tokens x 10 ms: three waves; the last waits for two full requests.
                double oneRequest = (tokens - 1) * itl.toMillis();
                assertTrue(ttft[slots - 1] < oneRequest, "first wave TTFT " + ttft[slots - 1]);
                assertTrue(ttft[concurrency - 1] >= 2 * oneRequest * 0.9,
                        "last wave TTFT " + ttft[concurrency - 1] + " ms should include ~" + 2 * oneRequest + " ms of queueing");
                long queued = sim.requestLog().stream().filter(r -> r.queueNanos() / 1e6 >= oneRequest * 0.9).count();
                assertEquals(concurrency - slots, queued, "requests the server kept waiting");
                assertTrue(sim.metricsText().contains("vllm:request_queue_time_seconds_count{model_name=\""
                        + SimConfig.DEFAULT_MODEL + "\"} 12.0"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    static int waitingGauge(Simulator sim) {
        for (String line : sim.metricsText().split("\n")) {
            if (line.startsWith("vllm:num_requests_waiting{")) {
                return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no vllm:num_requests_waiting in /metrics");
    }

    static void assertWithin(double actual, double expected, double tolerance, String what) {
        assertTrue(Math.abs(actual - expected) <= expected * tolerance,
                what + ": " + actual + " ms, expected " + expected + " ms ±" + (int) (tolerance * 100) + "%");
    }
}
