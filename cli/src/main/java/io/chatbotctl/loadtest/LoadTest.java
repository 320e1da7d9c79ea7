package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.BuildInfo;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.openai.ChatMessage;
import io.chatbotctl.openai.ChatRequest;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one load test: streams chat completions in closed or open loop, records every request's TTFT, ITL, TPOT
 * and E2E in HdrHistograms, samples once a second (progress, time series, HDR interval logs, the server's queue)
 * and returns the report. Requests run on their own threads with blocking reads, so every chunk is stamped the
 * moment it leaves the socket.
 */
public final class LoadTest {
    private static final String PATH = "/chat/completions";
    private static final long SECOND = 1_000_000_000L;
    /**
     * Open loop: a request is handed to its thread this long before its send time and that thread sleeps until
     * then, so a late wake-up of the scheduler (up to this long) or a slow hand-off does not delay the send. A request
     * holds its --max-in-flight permit from the hand-off.
     */
    private static final long HANDOFF_LEAD_NANOS = 50_000_000L;

    private final LoadTestConfig config;
    private final Progress progress;
    private final Recording recording;
    private final ExecutorService executor;
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
    private volatile RuntimeException connectError;
    private volatile boolean aborted;
    private OpenAiClient client;
    private List<ObjectNode> bodies;
    private long t0;
    private long warmupEnd;

    private LoadTest(LoadTestConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
        this.recording = new Recording(config.openLoop(), config.slos());
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loadtest-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (String metric : Recording.metrics(config.openLoop())) {
            totals.put(metric, new Histogram(3));
        }
    }

    /** Runs the test; throws {@link ExternalSystemException} (exit 4) when the endpoint cannot be reached at all. */
    public static LoadTestResult run(LoadTestConfig config, Progress progress) {
        LoadTest test = new LoadTest(config, progress);
        try {
            return test.execute();
        } finally {
            test.executor.shutdownNow();
        }
    }

    private LoadTestResult execute() {
        client = OpenAiClient.create(config.endpoint(), config.apiKey(), config.timeout()).withHeaders(config.headers());
        String model = config.model() != null ? config.model() : firstModel();
        bodies = config.prompts().stream().map(p -> body(model, p)).toList();
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
                .build();
    }

    private String firstModel() {
        List<String> models = client.models();
        if (models.isEmpty()) {
            throw new ExternalSystemException(client.baseUrl() + "/models lists no model", "give --model NAME");
        }
        return models.get(0);
    }

    private ObjectNode body(String model, List<ChatMessage> prompt) {
        List<ChatMessage> messages = new ArrayList<>();
        if (config.systemPrompt() != null) {
            messages.add(ChatMessage.system(config.systemPrompt()));
        }
        messages.addAll(prompt);
        ChatRequest request = ChatRequest.of(model, messages).withMaxTokens(config.maxTokens())
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
        long limit = requestLimit();
        long end = endNanos();
        long ramp = config.rampUp().toNanos();
        AtomicLong tickets = new AtomicLong();
        CountDownLatch done = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            long start = t0 + ramp * i / workers;
            executor.execute(() -> {
                try {
                    sleepUntil(start);
                    while (!aborted) {
                        long ticket = tickets.getAndIncrement();
                        long now = System.nanoTime();
                        if (ticket >= limit || now >= end) {
                            break;
                        }
                        boolean measured = ticket >= config.warmupRequests() && now >= warmupEnd;
                        send(bodies.get((int) (ticket % bodies.size())), now, now, measured);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        awaitUninterruptibly(done);
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
            sleepUntil(intended - HANDOFF_LEAD_NANOS);
            if (!permits.tryAcquire()) {
                permits.acquireUninterruptibly();
                backlogUntil = System.nanoTime();
            }
            // waiting for --max-in-flight is the server's doing (the corrected latency shows it), not schedule lag
            long readyAt = Math.max(intended, backlogUntil);
            boolean measured = k >= config.warmupRequests() && intended >= warmupEnd;
            ObjectNode body = bodies.get((int) (k % bodies.size()));
            executor.execute(() -> {
                try {
                    sleepUntil(readyAt);
                    long sent = System.nanoTime();
                    if (measured) {
                        recording.scheduleLag(sent - readyAt);
                    }
                    send(body, intended, sent, measured);
                } finally {
                    permits.release();
                }
            });
        }
        permits.acquireUninterruptibly(config.maxInFlight());
    }

    private void send(ObjectNode body, long intended, long sent, boolean measured) {
        inFlight.incrementAndGet();
        if (measured) {
            measuredSent.incrementAndGet();
            firstMeasuredSend.accumulateAndGet(sent, Math::min);
            lastMeasuredSend.accumulateAndGet(sent, Math::max);
        }
        RequestTrace trace = new RequestTrace();
        try {
            StreamResult result = client.stream(PATH, body, trace);
            anySuccess.incrementAndGet();
            Usage usage = result.completion().usage();
            if (measured) {
                recording.success(intended, sent, trace, result.endNanos(),
                        usage == null ? null : usage.completionTokens(), usage == null ? null : usage.promptTokens());
            }
            config.observer().onRequest(new RequestSample(result.completion().id(), measured, intended, sent,
                    trace.firstContentNanos(), result.endNanos(),
                    usage == null ? trace.contentChunks() : usage.completionTokens(), null));
        } catch (RuntimeException e) {
            config.observer().onRequest(new RequestSample(null, measured, intended, sent, trace.firstContentNanos(),
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
        } finally {
            inFlight.decrementAndGet();
            if (measured) {
                lastMeasuredEnd.accumulateAndGet(System.nanoTime(), Math::max);
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
