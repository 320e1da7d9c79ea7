package io.chatbotctl.loadtest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;
import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One load test's report; its JSON form is the {@code --out} file (schema in docs/loadtest.md). Latencies are in
 * milliseconds. In open loop {@code ttft} and {@code e2e} count from the intended send time (corrected for
 * coordinated omission) and {@code ttft_service}/{@code e2e_service} from the actual send.
 *
 * @param schemaVersion 1
 * @param status        {@code VALID}, or {@code INVALID} when the generator could not keep its schedule
 * @param statusReason  why INVALID; null when VALID
 * @param histograms    the whole run's histograms (microseconds) per metric, for the HTML report; not in JSON
 */
public record LoadTestResult(int schemaVersion, String status, String statusReason, Configuration configuration,
                             RunEnvironment environment, Results results, GeneratorHealth generator,
                             ServerView server, List<SloOutcome> slos, List<TimePoint> timeSeries,
                             @JsonIgnore Map<String, Histogram> histograms) implements Tabular {

    public static final int SCHEMA_VERSION = 1;

    /**
     * What ran; header names only (their values may be secrets). {@code access}: {@code direct}, or {@code api-server}
     * when the endpoint was reached through the Kubernetes API server's service proxy (an extra hop in every latency).
     */
    public record Configuration(String endpoint, String model, String mode, Integer concurrency, Double rate,
                                String arrival, Long requests, Double durationSeconds, double rampUpSeconds,
                                double warmupSeconds, long warmupRequests, int maxTokens, boolean ignoreEos, Double temperature,
                                Long seed, int prompts, List<String> headers, Integer maxInFlight,
                                double timeoutSeconds, List<String> slos, String access) {}

    public record RunEnvironment(Instant startedAt, Instant endedAt, String host, int cpus, String os,
                                 String java, String chatbotctl) {}

    /**
     * @param requests            measured requests that ended (succeeded + failed)
     * @param durationSeconds     from the first measured send to the last measured end
     * @param goodputPerSecond    requests meeting every latency SLO, per second; null without SLOs
     * @param outputTokensSource  {@code usage} (server-reported), {@code counted} (content chunks) or {@code mixed}
     * @param latencies           per metric: {@code ttft}, {@code itl}, {@code tpot}, {@code e2e} (+ {@code
     *                            ttft_service}, {@code e2e_service} in open loop)
     * @param errors              failed requests by kind ({@code http_503}, {@code timeout}, {@code connection_lost},
     *                            {@code malformed_stream}, {@code error_event}, {@code connect})
     * @param errorExamples       one message per kind
     */
    public record Results(long requests, long succeeded, long failed, double errorRate, double durationSeconds,
                          double requestsPerSecond, double outputTokensPerSecond, double totalTokensPerSecond,
                          Double goodputPerSecond, long outputTokens, long promptTokens, String outputTokensSource,
                          Map<String, MetricSummary> latencies, Map<String, Long> errors,
                          Map<String, String> errorExamples) {}

    /**
     * @param targetRate        open loop: requests/s asked for; null in closed loop
     * @param achievedRate      requests/s actually sent in the measured window
     * @param scheduleLag       how late requests' bytes left (ms): against the schedule (open loop) or the moment the
     *                          worker was free (closed loop); connecting on the way counts
     * @param maxScheduleLagMs  {@code --max-schedule-lag}: the run is INVALID when the largest lag of the first sends,
     *                          or in open loop the lag's P99, is above it
     * @param primedStreams     connections opened and streams run untimed before the clock started
     * @param firstSends        how many of the first measured sends {@code firstSendsLagMaxMs} covers
     * @param firstSendsLagMaxMs the largest lag among the first sends (ms): a late start cannot hide in a long run
     * @param cpuCores          CPU time of this process over wall time (1.0 = one core busy)
     * @param cpuPercent        the same as a share of all cores
     */
    public record GeneratorHealth(Double targetRate, double achievedRate, MetricSummary scheduleLag,
                                  double maxScheduleLagMs, int primedStreams, long firstSends, Double firstSendsLagMaxMs,
                                  double cpuCores, double cpuPercent, boolean valid) {}

    /** The server's histograms' deltas over the run (ms) and the largest queue seen. */
    public record ServerView(String metricsUrl, ServerHistogram ttft, ServerHistogram queueTime,
                             ServerHistogram e2e, double peakWaiting, double peakRunning) {}

    /** Values are absent (null) when the server counted no request in the run. */
    public record ServerHistogram(long count, Double meanMs, Double p50Ms, Double p90Ms, Double p99Ms) {}

    /** @param observed the run's value (ms for latencies, a fraction for error_rate, per second for rates); null without data */
    public record SloOutcome(String slo, Double observed, double threshold, boolean passed) {
        /** The observed value in the SLO's unit: {@code 2.50%}, {@code 4.20/s}, {@code 153.00 ms}, or {@code no data}. */
        public String observedText() {
            if (observed == null) {
                return "no data";
            }
            Slo parsed = Slo.parse(slo);
            if (parsed.metric().equals("error_rate")) {
                return String.format(java.util.Locale.ROOT, "%.2f%%", observed * 100);
            }
            if (!parsed.latency()) {
                return String.format(java.util.Locale.ROOT, "%.2f/s", observed);
            }
            return String.format(java.util.Locale.ROOT, "%.2f ms", observed);
        }
    }

    /** One second of the measured run (requests that ended in it); latencies are absent when none ended. */
    public record TimePoint(double second, long requests, long errors, long outputTokens, int inFlight,
                            Double ttftP50Ms, Double ttftP99Ms, Double itlP99Ms, Double e2eP99Ms) {}

    public boolean valid() {
        return "VALID".equals(status);
    }

    public List<SloOutcome> breaches() {
        return slos.stream().filter(s -> !s.passed()).toList();
    }

    @Override
    public Table toTable() {
        Table.Builder t = Table.of("METRIC", "COUNT", "MEAN", "P50", "P90", "P95", "P99", "P99.9", "MAX");
        results.latencies().forEach((name, m) -> t.row(name + " (ms)", m.count(), f(m.meanMs()), f(m.p50Ms()),
                f(m.p90Ms()), f(m.p95Ms()), f(m.p99Ms()), f(m.p999Ms()), f(m.maxMs())));
        Results r = results;
        t.note("");
        t.note(String.format(Locale.ROOT, "Requests: %d ok, %d failed (%.2f%%) in %.1f s   %s",
                r.succeeded(), r.failed(), r.errorRate() * 100, r.durationSeconds(), configuration.mode().equals("open")
                        ? String.format(Locale.ROOT, "rate %.1f/s (target %.1f/s)", generator.achievedRate(), generator.targetRate())
                        : "concurrency " + configuration.concurrency()));
        t.note(String.format(Locale.ROOT, "Throughput: %.2f req/s, %.1f output tokens/s (%s), %.1f total tokens/s%s",
                r.requestsPerSecond(), r.outputTokensPerSecond(), r.outputTokensSource(), r.totalTokensPerSecond(),
                r.goodputPerSecond() == null ? "" : String.format(Locale.ROOT, ", goodput %.2f req/s", r.goodputPerSecond())));
        if (!r.errors().isEmpty()) {
            t.note("Errors: " + r.errors());
        }
        t.note(String.format(Locale.ROOT, "Generator: CPU %.2f cores (%.0f%%), %d streams primed before the clock%s%s",
                generator.cpuCores(), generator.cpuPercent(), generator.primedStreams(),
                generator.scheduleLag() == null ? "" : String.format(Locale.ROOT, ", send lag p99 %.2f ms (limit %.0f ms)",
                        generator.scheduleLag().p99Ms(), generator.maxScheduleLagMs()),
                generator.firstSendsLagMaxMs() == null ? "" : String.format(Locale.ROOT, ", first %d sends at most %.2f ms late",
                        generator.firstSends(), generator.firstSendsLagMaxMs())));
        if (server != null) {
            t.note(String.format(Locale.ROOT, "Server (%s): ttft p50 %s p99 %s ms, queue p99 %s ms, peak waiting %.0f",
                    server.metricsUrl(), f(server.ttft().p50Ms()), f(server.ttft().p99Ms()), f(server.queueTime().p99Ms()),
                    server.peakWaiting()));
        }
        for (SloOutcome s : slos) {
            t.note(String.format(Locale.ROOT, "SLO %-28s %s (observed %s)", s.slo(), s.passed() ? "met" : "BREACHED", f(s.observed())));
        }
        t.note("Status: " + status + (statusReason == null ? "" : " (" + statusReason + ")"));
        return t.build();
    }

    static String f(Double v) {
        if (v == null || Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : "%.2f", v);
    }

    /** NaN (no data) as null, so JSON leaves the field out. */
    static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
