package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.BuildInfo;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.openai.ChatMessage;
import io.chatbotctl.openai.ChatRequest;
import io.chatbotctl.openai.NettyStreamClient;
import io.chatbotctl.openai.OpenAiClient;
import io.chatbotctl.openai.OpenAiException;
import io.chatbotctl.openai.StreamResult;
import io.chatbotctl.openai.Usage;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one load test: streams chat completions in closed or open loop, records every request's TTFT, ITL, TPOT
 * and E2E in HdrHistograms, samples once a second (progress, time series, HDR interval logs, the server's queue)
 * and returns the report. Requests go through a {@link NettyStreamClient}: non-blocking, keep-alive connections,
 * each chunk stamped when its bytes are read off the socket, so a few event-loop threads carry every stream and
 * the generator's own cost stays out of the numbers. Closed loop: {@code concurrency} asynchronous workers, each
 * sending its next request when the last one ended. Open loop: this thread sleeps until each send time and hands
 * the request over without blocking.
 */
public final class LoadTest {
    private static final String PATH = "/chat/completions";
    private static final long SECOND = 1_000_000_000L;
    /**
     * Event-loop threads of the stream client: one per core, at most 8. On 2 cores, two loops sustained the same rate
     * as one and kept TTFT at 1,000 streams closer to the truth (docs/loadtest.md); {@code -Dchatbotctl.loadtest.ioThreads=N}
     * (e.g. in JAVA_OPTS) overrides it.
     */
    private static int ioThreads() {
        return Integer.getInteger("chatbotctl.loadtest.ioThreads", Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    private final LoadTestConfig config;
    private final Progress progress;
    private final Recording recording;
    private final Map<String, Histogram> totals = new LinkedHashMap<>();
    private final List<LoadTestResult.TimePoint> timeSeries = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong measuredSent = new AtomicLong();
    private final AtomicLong firstMeasuredSend = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastMeasuredSend = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastMeasuredEnd = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong anySuccess = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong warmupFailures = new AtomicLong();
    private final AtomicLong measuredWrites = new AtomicLong();
    private final AtomicLong firstSendsLagMax = new AtomicLong();
    private volatile RuntimeException connectError;
    private int primedStreams;
    private volatile boolean aborted;
    private OpenAiClient client;
    private NettyStreamClient streams;
    private List<NettyStreamClient.Prepared> requests;
    private long t0;
    private long warmupEnd;

    private LoadTest(LoadTestConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
        this.recording = new Recording(config.openLoop(), config.slos());
        for (String metric : Recording.metrics(config.openLoop())) {
            totals.put(metric, new Histogram(3));
        }
    }

    /** Runs the test; throws {@link ExternalSystemException} (exit 4) when the endpoint cannot be reached at all. */
    public static LoadTestResult run(LoadTestConfig config, Progress progress) {
        return new LoadTest(config, progress).execute();
    }

    private LoadTestResult execute() {
        client = OpenAiClient.create(config.endpoint(), config.apiKey(), config.timeout()).withHeaders(config.headers());
        String model = config.model() != null ? config.model() : firstModel();
        streams = NettyStreamClient.create(config.endpoint(), config.apiKey(), config.headers(), config.timeout(), ioThreads());
        try {
            requests = config.prompts().stream().map(p -> streams.prepare(PATH, body(model, p, config.maxTokens()))).toList();
            prime(model);
            return measure(model);
        } finally {
            streams.close();
        }
    }

    private LoadTestResult measure(String model) {
        ServerMetrics server = config.metricsUrl() != null && config.metricsUrl().isEmpty() ? null
                : new ServerMetrics(config.metricsUrl() != null ? config.metricsUrl() : ServerMetrics.defaultUrl(client.baseUrl()));
        List<MetricsText.Sample> before = server == null ? null : server.scrape();
        ServerPeaks peaks = before == null ? null : new ServerPeaks(server);

        Instant startedAt = Instant.now();
        HdrLogs logs = config.hdrLogDir() == null ? null
                : new HdrLogs(config.hdrLogDir(), totals.keySet(), startedAt.toEpochMilli());
        long cpuStart = processCpuNanos();
        t0 = System.nanoTime();
        warmupEnd = t0 + config.warmupTime().toNanos();
        progress.log(String.format(java.util.Locale.ROOT, "loadtest: %s at %s, model %s, %s",
                config.openLoop() ? "open loop" : "closed loop", client.baseUrl(), model,
                config.openLoop() ? config.rate() + " req/s " + config.arrival().name().toLowerCase(java.util.Locale.ROOT)
                        : "concurrency " + config.concurrency()));

        Sampler sampler = new Sampler(logs, peaks);
        Thread samplerThread = new Thread(sampler, "loadtest-sampler");
        samplerThread.setDaemon(true);
        samplerThread.start();
        try {
            if (config.openLoop()) {
                openLoop();
            } else {
                closedLoop();
            }
        } finally {
            sampler.stop();
            try {
                samplerThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sampler.sample(System.nanoTime());
            if (logs != null) {
                logs.close();
            }
        }
        long wallNanos = System.nanoTime() - t0;
        long cpuNanos = processCpuNanos() - cpuStart;
        if (anySuccess.get() == 0 && connectError != null && connectFailures.get() == recording.completed() + warmupFailures.get()) {
            Throwable cause = connectError.getCause() != null ? connectError.getCause() : connectError;
            throw new ExternalSystemException("cannot reach " + client.baseUrl() + ": every request failed to connect ("
                    + cause.getMessage() + ")", "check --endpoint and that the server runs", connectError);
        }
        List<MetricsText.Sample> after = server == null || before == null ? null : server.scrape();
        LoadTestResult.ServerView serverView = after == null ? null : serverView(server, before, after, peaks);
        return new ResultBuilder(config, model, recording, totals, timeSeries, startedAt, measuredSent.get(),
                firstMeasuredSend.get(), lastMeasuredSend.get(), lastMeasuredEnd.get(), cpuNanos, wallNanos, serverView)
                .firstSends(primedStreams, Math.min(measuredWrites.get(), firstSends()), firstSendsLagMax.get())
                .build();
    }

    private String firstModel() {
        List<String> models = client.models();
        if (models.isEmpty()) {
            throw new ExternalSystemException(client.baseUrl() + "/models lists no model", "give --model NAME");
        }
        return models.get(0);
    }

    /** Rounds of untimed requests before the clock starts: the first opens the connections, the second reuses them. */
    static final int PRIMING_ROUNDS = Integer.getInteger("chatbotctl.loadtest.primingRounds", 2);
    /** The most tokens a priming request asks for: enough chunks to run the stream path's code many times. */
    static final int PRIMING_TOKENS = Integer.getInteger("chatbotctl.loadtest.primingTokens", 16);
    /** The most streams an open-loop run opens before it starts (one second of sends, up to --max-in-flight). */
    static final int MAX_PRIMED_OPEN_LOOP = 512;

    /** How many streams the run is ready for before its first measured send: its concurrency or a second of sends. */
    int primingStreams() {
        if (!config.openLoop()) {
            return config.concurrency();
        }
        return (int) Math.max(1, Math.min(Math.min(config.maxInFlight(), MAX_PRIMED_OPEN_LOOP), Math.ceil(config.rate())));
    }

    /**
     * Makes the generator ready before the clock starts: {@link #primingStreams()} untimed streams at once open
     * that many keep-alive connections, then a second round goes over the open connections, so the classes and code
     * of the request/stream path are loaded and run before the first measured send, and the first measured
     * requests find connections open like every later one. The answers are short ({@code max_tokens} 1), recorded
     * nowhere and not counted. When not one of them could connect, the endpoint cannot be reached (exit 4).
     */
    private void prime(String model) {
        int n = primingStreams();
        List<NettyStreamClient.Prepared> bodies = config.prompts().stream()
                .map(p -> streams.prepare(PATH, body(model, p, Math.min(PRIMING_TOKENS, config.maxTokens())))).toList();
        progress.log("loadtest: opening " + n + " connection" + (n == 1 ? "" : "s") + " and priming the stream path (untimed)");
        for (int round = 0; round < PRIMING_ROUNDS; round++) {
            List<CompletableFuture<StreamResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(streams.stream(bodies.get(i % bodies.size()), new RequestTrace()));
            }
            int unreachable = 0;
            RuntimeException cause = null;
            for (CompletableFuture<StreamResult> f : futures) {
                try {
                    f.join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof OpenAiException o && o.kind() == OpenAiException.Kind.CONNECT) {
                        unreachable++;
                        cause = o;
                    }
                }
            }
            if (unreachable == n) {
                Throwable root = cause.getCause() != null ? cause.getCause() : cause;
                throw new ExternalSystemException("cannot reach " + client.baseUrl() + ": every request failed to connect ("
                        + root.getMessage() + ")", "check --endpoint and that the server runs", cause);
            }
        }
        primedStreams = PRIMING_ROUNDS > 0 ? n : 0;
    }

    /** How many of the first measured sends the generator-health check looks at on their own. */
    private long firstSends() {
        return primingStreams();
    }

    private ObjectNode body(String model, List<ChatMessage> prompt, int maxTokens) {
        List<ChatMessage> messages = new ArrayList<>();
        if (config.systemPrompt() != null) {
            messages.add(ChatMessage.system(config.systemPrompt()));
        }
        messages.addAll(prompt);
        ChatRequest request = ChatRequest.of(model, messages).withMaxTokens(maxTokens)
                .withTemperature(config.temperature()).withSeed(config.seed())
                .withExtra(config.ignoreEos() ? Map.of("ignore_eos", true) : Map.of());
        return OpenAiClient.chatBody(request, true);
    }

    private long requestLimit() {
        return config.requests() > 0 ? config.warmupRequests() + config.requests() : Long.MAX_VALUE;
    }

    private long endNanos() {
        return config.duration() == null ? Long.MAX_VALUE : warmupEnd + config.duration().toNanos();
    }

    private void closedLoop() {
        int workers = config.concurrency();
        long ramp = config.rampUp().toNanos();
        ClosedLoop loop = new ClosedLoop(requestLimit(), endNanos(), new CountDownLatch(workers));
        for (int i = 0; i < workers; i++) {
            sleepUntil(t0 + ramp * i / workers);
            loop.next();
        }
        awaitUninterruptibly(loop.done);
    }

    /** The closed loop's workers: each call sends one request and, when it ends, makes the next call. */
    private final class ClosedLoop {
        final AtomicLong tickets = new AtomicLong();
        final long limit;
        final long end;
        final CountDownLatch done;

        ClosedLoop(long limit, long end, CountDownLatch done) {
            this.limit = limit;
            this.end = end;
            this.done = done;
        }

        void next() {
            long ticket = tickets.getAndIncrement();
            long now = System.nanoTime();
            if (aborted || ticket >= limit || now >= end) {
                done.countDown();
                return;
            }
            boolean measured = ticket >= config.warmupRequests() && now >= warmupEnd;
            send(ticket, new Flight(measured, Flight.AT_SEND, now), this::next);
        }
    }

    private void openLoop() {
        Schedule schedule = new Schedule(config.rate(), config.arrival(), config.rampUp().toNanos(),
                config.seed() == null ? 1 : config.seed());
        Semaphore permits = new Semaphore(config.maxInFlight());
        long limit = requestLimit();
        long end = endNanos();
        long backlogUntil = Long.MIN_VALUE;
        for (long k = 0; !aborted && k < limit; k++) {
            long intended = t0 + schedule.next();
            if (intended >= end) {
                break;
            }
            sleepUntil(intended);
            if (!permits.tryAcquire()) {
                permits.acquireUninterruptibly();
                backlogUntil = System.nanoTime();
            }
            // waiting for --max-in-flight is the server's doing (the corrected latency shows it), not schedule lag
            long readyAt = Math.max(intended, backlogUntil);
            boolean measured = k >= config.warmupRequests() && intended >= warmupEnd;
            send(k, new Flight(measured, intended, readyAt), permits::release);
        }
        permits.acquireUninterruptibly(config.maxInFlight());
    }

    /** Hands the request to the stream client (never blocks); {@code then} runs when it ended, however it ended. */
    private void send(long ticket, Flight flight, Runnable then) {
        inFlight.incrementAndGet();
        try {
            streams.stream(requests.get((int) (ticket % requests.size())), flight).whenComplete((result, error) -> {
                try {
                    flight.finish(result, error);
                } finally {
                    then.run();
                }
            });
        } catch (RuntimeException e) {
            flight.finish(null, e);
            then.run();
        }
    }

    /** One request: its trace, and what the run records when it is sent and when it ends. */
    private final class Flight extends RequestTrace {
        /** Closed loop: the intended time is the send time; {@code readyAt} is when the worker was free. */
        static final long AT_SEND = Long.MIN_VALUE;

        private final boolean measured;
        private final long intended;
        private final long readyAt;
        private long sent;

        Flight(boolean measured, long intended, long readyAt) {
            this.measured = measured;
            this.intended = intended;
            this.readyAt = readyAt;
        }

        @Override
        public void onSend(long nanos) {
            sent = nanos;
            if (measured) {
                measuredSent.incrementAndGet();
                firstMeasuredSend.accumulateAndGet(nanos, Math::min);
                lastMeasuredSend.accumulateAndGet(nanos, Math::max);
            }
        }

        /**
         * How late the request's bytes left: against its place in the schedule (open loop) or the moment its worker
         * was free (closed loop); a connection opened on the way counts. The first sends are also kept apart, so a
         * late start cannot hide in the percentiles of a long run: in open loop their lag as above; in closed loop,
         * which measures each request from its send, the part of it inside the measured time (from the send to the
         * bytes leaving: a connection opened then, the first batch's old failure), since a burst of sends queued
         * behind each other delays the server's work, not the measurement.
         */
        @Override
        public void onWritten(long nanos) {
            if (measured) {
                long lag = Math.max(0, nanos - readyAt);
                recording.scheduleLag(lag);
                if (measuredWrites.getAndIncrement() < firstSends()) {
                    long measuredLag = intended == AT_SEND ? Math.max(0, nanos - sent) : lag;
                    firstSendsLagMax.accumulateAndGet(measuredLag, Math::max);
                }
            }
        }

        void finish(StreamResult result, Throwable error) {
            long sentAt = sent != 0 ? sent : intended != AT_SEND ? intended : System.nanoTime();
            long intendedAt = intended == AT_SEND ? sentAt : intended;
            try {
                if (error == null) {
                    succeeded(result, intendedAt, sentAt);
                } else {
                    failed(error instanceof RuntimeException e ? e : new IllegalStateException(error), intendedAt, sentAt);
                }
            } finally {
                inFlight.decrementAndGet();
                if (measured) {
                    lastMeasuredEnd.accumulateAndGet(System.nanoTime(), Math::max);
                }
            }
        }

        private void succeeded(StreamResult result, long intendedAt, long sentAt) {
            anySuccess.incrementAndGet();
            Usage usage = result.completion().usage();
            if (measured) {
                recording.success(intendedAt, sentAt, this, result.endNanos(),
                        usage == null ? null : usage.completionTokens(), usage == null ? null : usage.promptTokens());
            }
            config.observer().onRequest(new RequestSample(result.completion().id(), measured, intendedAt, sentAt,
                    firstContentNanos(), result.endNanos(), usage == null ? contentChunks() : usage.completionTokens(), null));
        }

        private void failed(RuntimeException e, long intendedAt, long sentAt) {
            config.observer().onRequest(new RequestSample(null, measured, intendedAt, sentAt, firstContentNanos(),
                    System.nanoTime(), 0, Recording.errorKind(e)));
            if (measured) {
                recording.failure(e);
            } else {
                warmupFailures.incrementAndGet();
            }
            if (e instanceof OpenAiException o && o.kind() == OpenAiException.Kind.CONNECT) {
                connectError = e;
                if (connectFailures.incrementAndGet() >= Math.max(10, config.concurrency()) && anySuccess.get() == 0) {
                    aborted = true;
                }
            }
        }
    }

    static void sleepUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static LoadTestResult.ServerView serverView(ServerMetrics server, List<MetricsText.Sample> before,
                                                        List<MetricsText.Sample> after, ServerPeaks peaks) {
        return new LoadTestResult.ServerView(server.url(), delta(before, after, ServerMetrics.TTFT),
                delta(before, after, ServerMetrics.QUEUE), delta(before, after, ServerMetrics.E2E),
                Math.max(peaks.waiting, ServerMetrics.gauge(after, ServerMetrics.WAITING)), peaks.running);
    }

    private static LoadTestResult.ServerHistogram delta(List<MetricsText.Sample> before, List<MetricsText.Sample> after, String name) {
        ServerMetrics.Buckets d = ServerMetrics.Buckets.of(after, name).minus(ServerMetrics.Buckets.of(before, name));
        long count = Math.round(d.count());
        if (count <= 0) {
            return new LoadTestResult.ServerHistogram(0, null, null, null, null);
        }
        return new LoadTestResult.ServerHistogram(count, LoadTestResult.orNull(ms(d.sum() / d.count())),
                LoadTestResult.orNull(ms(d.quantile(0.5))), LoadTestResult.orNull(ms(d.quantile(0.9))),
                LoadTestResult.orNull(ms(d.quantile(0.99))));
    }

    private static double ms(double seconds) {
        return MetricSummary.round(seconds * 1000);
    }

    /** The largest waiting and running queues the server reported while the run went on. */
    private static final class ServerPeaks {
        final ServerMetrics server;
        volatile double waiting;
        volatile double running;

        ServerPeaks(ServerMetrics server) {
            this.server = server;
        }

        void poll() {
            List<MetricsText.Sample> samples = server.scrape();
            if (samples != null) {
                waiting = Math.max(waiting, ServerMetrics.gauge(samples, ServerMetrics.WAITING));
                running = Math.max(running, ServerMetrics.gauge(samples, ServerMetrics.RUNNING));
            }
        }
    }

    /** Once a second: interval histograms into totals, HDR logs and the time series; progress; server queue. */
    private final class Sampler implements Runnable {
        private final HdrLogs logs;
        private final ServerPeaks peaks;
        private volatile boolean stopped;
        private long lastCompleted;
        private long lastFailed;
        private long lastTokens;
        private long lastTick;

        Sampler(HdrLogs logs, ServerPeaks peaks) {
            this.logs = logs;
            this.peaks = peaks;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            lastTick = t0;
            for (long k = 1; !stopped; k++) {
                long tick = t0 + k * SECOND;
                while (!stopped && System.nanoTime() < tick) {
                    LockSupport.parkNanos(Math.min(tick - System.nanoTime(), 50_000_000L));
                }
                if (stopped) {
                    return;
                }
                sample(tick);
                if (peaks != null) {
                    peaks.poll();
                }
            }
        }

        synchronized void sample(long now) {
            Map<String, Histogram> intervals = recording.takeIntervals();
            intervals.forEach((name, h) -> totals.get(name).add(h));
            if (logs != null) {
                logs.write(intervals);
            }
            long completed = recording.completed();
            long failed = recording.failed.sum();
            long tokens = recording.outputTokens.sum();
            double seconds = (now - lastTick) / 1e9;
            long first = firstMeasuredSend.get();
            if (first != Long.MAX_VALUE && completed > 0 && seconds > 0) {
                timeSeries.add(new LoadTestResult.TimePoint(MetricSummary.round((now - first) / 1e9),
                        completed - lastCompleted, failed - lastFailed, tokens - lastTokens, inFlight.get(),
                        p(intervals, Recording.TTFT, 50), p(intervals, Recording.TTFT, 99),
                        p(intervals, Recording.ITL, 99), p(intervals, Recording.E2E, 99)));
            }
            progress.update(String.format(java.util.Locale.ROOT,
                    "%5.0fs  done %d  %.1f req/s  ttft p99 %s ms  itl p99 %s ms  e2e p99 %s ms  errors %d  in flight %d",
                    (now - t0) / 1e9, completed, seconds > 0 ? (completed - lastCompleted) / seconds : 0,
                    LoadTestResult.f(p(intervals, Recording.TTFT, 99)), LoadTestResult.f(p(intervals, Recording.ITL, 99)),
                    LoadTestResult.f(p(intervals, Recording.E2E, 99)), failed, inFlight.get()));
            lastCompleted = completed;
            lastFailed = failed;
            lastTokens = tokens;
            lastTick = now;
        }

        private Double p(Map<String, Histogram> intervals, String metric, double percentile) {
            Histogram h = intervals.get(metric);
            return h == null || h.getTotalCount() == 0 ? null : h.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    static String version() {
        return BuildInfo.current().version();
    }
}
