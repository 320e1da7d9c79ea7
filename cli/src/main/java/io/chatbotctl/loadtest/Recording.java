package io.chatbotctl.loadtest;

import io.chatbotctl.openai.OpenAiException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where request threads record what they measured: one HdrHistogram {@link Recorder} per metric (microseconds,
 * 3 significant digits, safe across threads without locks) and counters. The sampler thread takes interval
 * histograms once a second and adds them to the run's totals.
 */
final class Recording {
    static final String TTFT = "ttft";
    static final String ITL = "itl";
    static final String TPOT = "tpot";
    static final String E2E = "e2e";
    static final String TTFT_SERVICE = "ttft_service";
    static final String E2E_SERVICE = "e2e_service";
    static final String SCHEDULE_LAG = "schedule_lag";

    private final boolean openLoop;
    private final List<Slo> slos;
    final Map<String, Recorder> recorders = new LinkedHashMap<>();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder outputTokens = new LongAdder();
    final LongAdder promptTokens = new LongAdder();
    final LongAdder countedTokenRequests = new LongAdder();
    final LongAdder usageTokenRequests = new LongAdder();
    final LongAdder good = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> errorExamples = new ConcurrentHashMap<>();

    Recording(boolean openLoop, List<Slo> slos) {
        this.openLoop = openLoop;
        this.slos = slos;
        for (String metric : metrics(openLoop)) {
            recorders.put(metric, new Recorder(3));
        }
    }

    static List<String> metrics(boolean openLoop) {
        return openLoop ? List.of(TTFT, ITL, TPOT, E2E, TTFT_SERVICE, E2E_SERVICE, SCHEDULE_LAG)
                : List.of(TTFT, ITL, TPOT, E2E, SCHEDULE_LAG);
    }

    /**
     * A stream that ended with {@code [DONE]}. Times are {@link System#nanoTime()}.
     *
     * @param intended when the schedule meant to send it (equal to {@code sent} in closed loop)
     * @param sent     when it was actually sent
     */
    void success(long intended, long sent, RequestTrace trace, long end, Integer usageTokens, Integer usagePrompt) {
        succeeded.increment();
        int tokens;
        if (usageTokens != null) {
            tokens = usageTokens;
            usageTokenRequests.increment();
        } else {
            tokens = trace.contentChunks();
            countedTokenRequests.increment();
        }
        outputTokens.add(tokens);
        if (usagePrompt != null) {
            promptTokens.add(usagePrompt);
        }
        long first = trace.firstContentNanos();
        double ttft = Double.NaN;
        double ttftService = Double.NaN;
        double tpot = Double.NaN;
        if (first != 0) {
            ttft = micros(first - intended);
            ttftService = micros(first - sent);
            record(TTFT, first - intended);
            if (openLoop) {
                record(TTFT_SERVICE, first - sent);
            }
            if (tokens > 1) {
                long tpotNanos = (end - first) / (tokens - 1);
                tpot = micros(tpotNanos);
                record(TPOT, tpotNanos);
            }
        }
        Recorder itl = recorders.get(ITL);
        long[] gaps = trace.gaps();
        for (int i = 0; i < trace.gapCount(); i++) {
            itl.recordValue(Math.max(0, gaps[i] / 1000));
        }
        record(E2E, end - intended);
        if (openLoop) {
            record(E2E_SERVICE, end - sent);
        }
        if (!slos.isEmpty()) {
            double meanItl = trace.gapCount() == 0 ? Double.NaN : micros(trace.gapSum() / trace.gapCount());
            boolean meets = true;
            for (Slo slo : slos) {
                meets &= slo.holdsFor(ttft / 1000, micros(end - intended) / 1000, tpot / 1000, meanItl / 1000,
                        ttftService / 1000, micros(end - sent) / 1000);
            }
            if (meets) {
                good.increment();
            }
        }
    }

    void failure(RuntimeException e) {
        failed.increment();
        String kind = errorKind(e);
        if (kind.equals("connect")) {
            connectFailures.increment();
        }
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        errorExamples.putIfAbsent(kind, String.valueOf(e.getMessage()));
    }

    void scheduleLag(long nanos) {
        record(SCHEDULE_LAG, nanos);
    }

    static String errorKind(RuntimeException e) {
        if (e instanceof OpenAiException o) {
            return o.kind() == OpenAiException.Kind.HTTP_STATUS ? "http_" + o.status()
                    : o.kind().name().toLowerCase(java.util.Locale.ROOT);
        }
        return "client_error";
    }

    Map<String, Long> errors() {
        Map<String, Long> counts = new TreeMap<>();
        errors.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    Map<String, String> errorExamples() {
        return new TreeMap<>(errorExamples);
    }

    long completed() {
        return succeeded.sum() + failed.sum();
    }

    private void record(String metric, long nanos) {
        recorders.get(metric).recordValue(Math.max(0, nanos / 1000));
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    /** Interval histograms of every metric since the last call. */
    Map<String, Histogram> takeIntervals() {
        Map<String, Histogram> intervals = new LinkedHashMap<>();
        recorders.forEach((name, recorder) -> intervals.put(name, recorder.getIntervalHistogram()));
        return intervals;
    }
}
