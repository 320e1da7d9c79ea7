package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
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
 * TTFT and inter-token latency as a client measures them, against the configured model. Tolerances: ITL (each
 * stream's mean gap; median and mean over the streams) within 10% of {@code --itl}; TTFT median between the
 * configured prefill and prefill + 25 ms at concurrency 1, + 50 ms at 256 (HTTP and scheduling). On the shared
 * machine a measurement may be disturbed by other work, so each passes when one of {@link #ATTEMPTS} is within
 * all tolerances; the server never emits a first token before the configured prefill (checked on every request).
 */
class LatencyModelTest {
    static final Duration ITL = Duration.ofMillis(20);
    static final Duration PREFILL_PER_1K = Duration.ofMillis(100);
    static final int OUTPUT_TOKENS = 25;
    static final int ATTEMPTS = 3;

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
            bestOf(ATTEMPTS, () -> {
                double[] ttft = new double[5];
                double[] itl = new double[5];
                for (int i = 0; i < ttft.length; i++) {
                    Measured m = measure(sim);
                    ttft[i] = m.ttftMillis();
                    itl[i] = m.itlMillis();
                }
                List<String> misses = new ArrayList<>();
                within(misses, median(itl), 20.0, 0.10, "ITL at concurrency 1 (median of 5 streams)");
                ttftWithin(misses, median(ttft), 25, "TTFT median at concurrency 1");
                return misses;
            });
            double expected = expectedPrefillMillis();
            for (RequestRecord r : sim.requestLog()) {
                assertTrue(r.ttftNanos() / 1e6 >= expected - 1, "server-side TTFT " + r.ttftNanos() / 1e6
                        + " ms is shorter than the configured prefill " + expected + " ms");
            }
        }
    }

    @Test
    void concurrency256MatchesTheConfiguredLatencies() throws Exception {
        int concurrency = 256;
        try (Simulator sim = Simulator.start(config().build())) {
            // warm-up: let the JIT compile the request and token paths before measuring
            SseLoad.run("127.0.0.1", sim.port(), SimHttp.chat(LONG_MESSAGE, 5, true), 64, Duration.ofSeconds(2), 0);
            bestOf(ATTEMPTS, () -> {
                sim.clearRequestLog();
                // A one-thread NIO client, so that the client's own overhead stays out of the figures; each of its
                // 256 connections is opened by a short request first, as in a load test's warmed connection pool.
                SseLoad.Result r = SseLoad.run("127.0.0.1", sim.port(),
                        SimHttp.chat(LONG_MESSAGE, OUTPUT_TOKENS, true), concurrency, Duration.ofSeconds(60), 2, 1);
                assertEquals(concurrency, r.completions(), "completed streams (errors: " + r.errors() + ")");
                assertEquals(0, sim.waitingRequests());
                double[] serverTtft = sim.requestLog().stream().mapToDouble(x -> x.ttftNanos() / 1e6).toArray();
                System.out.printf("concurrency 256: client TTFT median %.1f ms, ITL median %.2f ms, mean %.2f ms; "
                        + "server TTFT median %.1f ms%n", median(r.ttftMillis()), median(r.itlMillis()), r.itlMean(),
                        median(serverTtft));
                List<String> misses = new ArrayList<>();
                within(misses, median(r.itlMillis()), 20.0, 0.10, "median ITL at concurrency 256");
                within(misses, r.itlMean(), 20.0, 0.10, "mean ITL at concurrency 256");
                ttftWithin(misses, median(r.ttftMillis()), 50, "TTFT median at concurrency 256");
                return misses;
            });
        }
    }

    /** Timing on a shared machine: passes when one of {@code attempts} measurements is within every tolerance. */
    static void bestOf(int attempts, Callable<List<String>> attempt) throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= attempts; i++) {
            List<String> misses = attempt.call();
            if (misses.isEmpty()) {
                return;
            }
            all.add("attempt " + i + ": " + String.join("; ", misses));
        }
        throw new AssertionError(String.join("\n", all));
    }

    static void within(List<String> misses, double actual, double expected, double tolerance, String what) {
        if (Math.abs(actual - expected) > expected * tolerance) {
            misses.add(String.format(java.util.Locale.ROOT, "%s: %.2f ms, expected %.1f ms ±%d%%", what, actual,
                    expected, (int) (tolerance * 100)));
        }
    }

    static void ttftWithin(List<String> misses, double actual, double slackMillis, String what) {
        double expected = expectedPrefillMillis();
        if (actual < expected - 1 || actual > expected + slackMillis) {
            misses.add(String.format(java.util.Locale.ROOT, "%s: %.1f ms, expected %.1f ms (prefill) to +%.0f ms",
                    what, actual, expected, slackMillis));
        }
    }

    @Test
    void requestsBeyondMaxNumSeqsQueueAndTtftIncludesTheWait() throws Exception {
        int slots = 4;
        int concurrency = 12;
        int tokens = 50;
        Duration itl = Duration.ofMillis(40);
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
                // 4 slots, 12 requests of 50 tokens x 40 ms (about 2 s each): three waves. Every request that found
                // the slots busy waited at least a quarter of a request (server-side figures, so a loaded machine
                // spreading the arrivals over up to 1.5 s does not change the verdict); the third wave waited a whole one.
                double oneRequest = (tokens - 1) * itl.toMillis();
                List<RequestRecord> log = sim.requestLog();
                long queued = log.stream().filter(r -> r.queueNanos() / 1e6 >= oneRequest / 4).count();
                assertEquals(concurrency - slots, queued, "requests the server kept waiting for a slot");
                assertTrue(log.stream().filter(r -> r.queueNanos() / 1e6 >= oneRequest).count() >= slots,
                        "the last wave waited for a whole request");
                for (RequestRecord r : log) {
                    assertTrue(r.ttftNanos() >= r.queueNanos(), "TTFT includes the wait: " + r);
                }
                for (int i = 2 * slots; i < concurrency; i++) {
                    assertTrue(ttft[i] >= oneRequest, "client TTFT " + ttft[i] + " ms of a third-wave request");
                }
                assertTrue(sim.metricsText().contains("vllm:request_queue_time_seconds_count{engine=\"0\",model_name=\""
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

}
