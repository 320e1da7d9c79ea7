package io.chatbotctl.loadtest;

import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns what a run recorded into its {@link LoadTestResult}: summaries, rates, generator health, SLO outcomes. */
final class ResultBuilder {
    private final LoadTestConfig config;
    private final String model;
    private final Recording recording;
    private final Map<String, Histogram> totals;
    private final List<LoadTestResult.TimePoint> timeSeries;
    private final Instant startedAt;
    private final long sent;
    private final long firstSend;
    private final long lastSend;
    private final long lastEnd;
    private final long cpuNanos;
    private final long wallNanos;
    private final LoadTestResult.ServerView server;
    private int primedStreams;
    private long firstSends;
    private long firstSendsLagMaxNanos;

    ResultBuilder(LoadTestConfig config, String model, Recording recording, Map<String, Histogram> totals,
                  List<LoadTestResult.TimePoint> timeSeries, Instant startedAt, long sent, long firstSend,
                  long lastSend, long lastEnd, long cpuNanos, long wallNanos, LoadTestResult.ServerView server) {
        this.config = config;
        this.model = model;
        this.recording = recording;
        this.totals = totals;
        this.timeSeries = timeSeries;
        this.startedAt = startedAt;
        this.sent = sent;
        this.firstSend = firstSend;
        this.lastSend = lastSend;
        this.lastEnd = lastEnd;
        this.cpuNanos = cpuNanos;
        this.wallNanos = wallNanos;
        this.server = server;
    }

    /** What the generator did before the clock started, and the largest lag of the first measured sends. */
    ResultBuilder firstSends(int primedStreams, long firstSends, long firstSendsLagMaxNanos) {
        this.primedStreams = primedStreams;
        this.firstSends = firstSends;
        this.firstSendsLagMaxNanos = firstSendsLagMaxNanos;
        return this;
    }

    LoadTestResult build() {
        Map<String, MetricSummary> latencies = new LinkedHashMap<>();
        totals.forEach((name, h) -> {
            if (!name.equals(Recording.SCHEDULE_LAG)) {
                latencies.put(name, MetricSummary.of(h));
            }
        });
        LoadTestResult.Results results = results(latencies);
        LoadTestResult.GeneratorHealth generator = generator();
        List<LoadTestResult.SloOutcome> slos = new ArrayList<>();
        for (Slo slo : config.slos()) {
            double observed = observed(slo, results);
            slos.add(new LoadTestResult.SloOutcome(slo.text(), LoadTestResult.orNull(observed), slo.threshold(),
                    !Double.isNaN(observed) && slo.holds(observed)));
        }
        String reason = null;
        if (!generator.valid()) {
            double p99 = generator.scheduleLag() == null ? 0 : generator.scheduleLag().p99Ms();
            reason = config.openLoop() && p99 > generator.maxScheduleLagMs()
                    ? String.format(Locale.ROOT, "the generator fell behind: send lag p99 %.2f ms > %.0f ms, so the"
                    + " latencies would describe this client, not the server", p99, generator.maxScheduleLagMs())
                    : String.format(Locale.ROOT, "the first %d sends left up to %.2f ms late (> %.0f ms), so the first"
                    + " requests would be measured late", generator.firstSends(), generator.firstSendsLagMaxMs(),
                    generator.maxScheduleLagMs());
        }
        return new LoadTestResult(LoadTestResult.SCHEMA_VERSION, generator.valid() ? "VALID" : "INVALID", reason,
                configuration(), environment(), results, generator, server, slos, List.copyOf(timeSeries),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(totals)));
    }

    private LoadTestResult.Results results(Map<String, MetricSummary> latencies) {
        long ok = recording.succeeded.sum();
        long failed = recording.failed.sum();
        long requests = ok + failed;
        double seconds = requests == 0 || firstSend == Long.MAX_VALUE ? 0 : Math.max(1e-9, (lastEnd - firstSend) / 1e9);
        long out = recording.outputTokens.sum();
        long prompt = recording.promptTokens.sum();
        String source = recording.countedTokenRequests.sum() == 0 ? "usage"
                : recording.usageTokenRequests.sum() == 0 ? "counted" : "mixed";
        boolean latencySlos = config.slos().stream().anyMatch(Slo::latency);
        return new LoadTestResult.Results(requests, ok, failed, requests == 0 ? 0 : round(failed / (double) requests),
                round(seconds), rate(requests, seconds), rate(out, seconds), rate(out + prompt, seconds),
                latencySlos ? rate(recording.good.sum(), seconds) : null, out, prompt, source, latencies,
                recording.errors(), recording.errorExamples());
    }

    private LoadTestResult.GeneratorHealth generator() {
        double achieved;
        if (config.openLoop()) {
            achieved = sent < 2 ? 0 : round((sent - 1) / ((lastSend - firstSend) / 1e9));
        } else {
            achieved = sent == 0 ? 0 : round(sent / Math.max(1e-9, (lastEnd - firstSend) / 1e9));
        }
        Histogram lag = totals.get(Recording.SCHEDULE_LAG);
        MetricSummary lagSummary = lag == null || lag.getTotalCount() == 0 ? null : MetricSummary.of(lag);
        double maxLagMs = config.maxScheduleLag().toNanos() / 1e6;
        Double firstLagMs = firstSends == 0 ? null : round(firstSendsLagMaxNanos / 1e6);
        // a closed loop measures from the actual send, so later lag costs only throughput; its start is judged
        boolean lagOk = !config.openLoop() || lagSummary == null || lagSummary.p99Ms() <= maxLagMs;
        boolean valid = lagOk && (firstLagMs == null || firstLagMs <= maxLagMs);
        double cores = wallNanos == 0 ? 0 : cpuNanos / (double) wallNanos;
        int cpus = Runtime.getRuntime().availableProcessors();
        return new LoadTestResult.GeneratorHealth(config.rate(), achieved, lagSummary, maxLagMs, primedStreams, firstSends,
                firstLagMs, round(cores), round(100 * cores / cpus), valid);
    }

    private static double observed(Slo slo, LoadTestResult.Results r) {
        if (slo.latency()) {
            MetricSummary m = r.latencies().get(slo.metric());
            if (m == null) {
                m = r.latencies().get(slo.metric().replace("_service", ""));
            }
            return m == null || m.count() == 0 ? Double.NaN : m.statistic(slo.statistic());
        }
        return switch (slo.metric()) {
            case "error_rate" -> r.requests() == 0 ? Double.NaN : r.errorRate();
            case "requests_per_second" -> r.requestsPerSecond();
            default -> r.outputTokensPerSecond();
        };
    }

    private LoadTestResult.Configuration configuration() {
        boolean open = config.openLoop();
        return new LoadTestResult.Configuration(config.shownEndpoint(), model, open ? "open" : "closed",
                open ? null : config.concurrency(), config.rate(),
                open ? config.arrival().name().toLowerCase(Locale.ROOT) : null,
                config.requests() > 0 ? config.requests() : null,
                config.duration() == null ? null : config.duration().toNanos() / 1e9,
                config.rampUp().toNanos() / 1e9, config.warmupTime().toNanos() / 1e9, config.warmupRequests(),
                config.maxTokens(), config.ignoreEos(), config.temperature(), config.seed(), config.prompts().size(),
                List.copyOf(config.headers().keySet()), open ? config.maxInFlight() : null,
                config.timeout().toNanos() / 1e9, config.slos().stream().map(Slo::text).toList(), config.access());
    }

    private LoadTestResult.RunEnvironment environment() {
        return new LoadTestResult.RunEnvironment(startedAt, Instant.now(), hostName(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"), LoadTest.version());
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double rate(long count, double seconds) {
        return seconds <= 0 ? 0 : round(count / seconds);
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
