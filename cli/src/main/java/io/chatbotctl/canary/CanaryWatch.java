package io.chatbotctl.canary;

import io.chatbotctl.core.Sleeper;
import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.Json;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The canary analysis loop. Every interval it queries stable and canary (and, with the eval in the loop, asks the
 * canary the eval's cases), judges, and then: Pass moves the weight to
 * the next step (after the last step: promote with --auto-promote); Fail counts towards the analysis'
 * {@code failureLimit} (reached: roll back with --auto-rollback); Marginal holds the weight; Inconclusive counts
 * towards {@code inconclusiveLimit} (reached: stop, exit 5). An unreachable Prometheus (after retries) stops the
 * watch with nothing promoted and nothing rolled back (exit 4). At most {@code 2 × steps + failureLimit +
 * inconclusiveLimit} intervals run; a canary still holding then is Inconclusive.
 */
public final class CanaryWatch {
    private final Analysis analysis;
    private final MetricSource source;
    private final CanaryTraffic traffic;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Judge judge;
    private final QualityCheck quality;

    /** @param traffic the cluster side; null in a dry run or a replay */
    public CanaryWatch(Analysis analysis, MetricSource source, CanaryTraffic traffic, Clock clock, Sleeper sleeper) {
        this(analysis, source, traffic, clock, sleeper, null);
    }

    /** @param quality the eval in the loop, run before each interval is judged; null without one */
    public CanaryWatch(Analysis analysis, MetricSource source, CanaryTraffic traffic, Clock clock, Sleeper sleeper,
                       QualityCheck quality) {
        this.analysis = analysis;
        this.source = source;
        this.traffic = traffic;
        this.clock = clock;
        this.sleeper = sleeper;
        this.judge = new Judge(analysis);
        this.quality = quality;
    }

    /**
     * Runs the watch to its end and writes the report to {@code options.out()} when set (also when it ends early).
     *
     * @param onInterval called after every interval, e.g. to print the live table
     */
    public CanaryReport run(WatchOptions options, Consumer<IntervalReport> onInterval, Progress progress)
            throws InterruptedException {
        validate(options);
        Watch w = new Watch(options, progress);
        if (w.changes && traffic == null) {
            throw new IllegalStateException("a live watch that changes weights needs the cluster");
        }
        int maxIntervals = 2 * options.steps().size() + analysis.failureLimit() + analysis.inconclusiveLimit();
        Instant windowStart = w.startedAt;
        try {
            preflight(options, w.startedAt);
            if (w.changes) {
                traffic.setWeight(w.weight);
            }
            for (int index = 1; w.outcome == null; index++) {
                Instant windowEnd = windowStart.plus(options.interval());
                int intervalWeight = w.weight;
                if (options.replay() && windowEnd.isAfter(options.to())) {
                    w.end(Outcome.INCONCLUSIVE, "the replayed window ended before a decision (" + w.intervals.size() + " intervals)");
                    break;
                }
                if (!options.replay()) {
                    progress.update("interval " + index + " at weight " + w.weight + "%: collecting until " + windowEnd);
                    sleeper.sleep(Duration.between(clock.instant(), windowEnd));
                }
                EvalEvidence eval = quality == null ? null : quality.check(index);
                IntervalJudgement j = judgeInterval(options, windowStart, windowEnd, eval);
                String action = switch (j.verdict()) {
                    case PASS -> onPass(w);
                    case FAIL -> onFail(w, j);
                    case MARGINAL -> onMarginal(w);
                    case INCONCLUSIVE -> onInconclusive(w, j);
                };
                IntervalReport report = new IntervalReport(index, intervalWeight, windowStart, windowEnd, j.verdict(),
                        j.score(), j.reason(), action, j.metrics(), eval);
                w.intervals.add(report);
                onInterval.accept(report);
                if (w.outcome == null && index >= maxIntervals) {
                    w.end(Outcome.INCONCLUSIVE, "no decision after " + index + " intervals (marginal results)");
                }
                windowStart = windowEnd;
            }
        } catch (PrometheusUnreachableException e) {
            w.end(Outcome.PROMETHEUS_UNREACHABLE, "inconclusive, " + e.getMessage());
        } catch (ChatbotctlException e) {
            throw written(options, e, w.startedAt, w.intervals, w.weight);
        }
        CanaryReport report = report(options, w.outcome, w.reason, w.startedAt, w.intervals, w.weight);
        write(options, report);
        return report;
    }

    /** The state of one watch as the verdict handlers move it on. */
    private final class Watch {
        final WatchOptions options;
        final Progress progress;
        final boolean changes;
        final Instant startedAt;
        final List<IntervalReport> intervals = new ArrayList<>();
        int stepIndex;
        int weight;
        int failures;
        int inconclusives;
        Outcome outcome;
        String reason;

        Watch(WatchOptions options, Progress progress) {
            this.options = options;
            this.progress = progress;
            this.changes = !options.dryRun() && !options.replay();
            this.startedAt = options.replay() ? options.from() : clock.instant();
            this.weight = options.steps().get(0);
        }

        void end(Outcome outcome, String reason) {
            this.outcome = outcome;
            this.reason = reason;
        }

        boolean lastStep() {
            return stepIndex == options.steps().size() - 1;
        }
    }

    /** Pass: the next step's weight, or after the last step promotion (with --auto-promote) or the end. */
    private String onPass(Watch w) {
        w.failures = 0;
        w.inconclusives = 0;
        if (!w.lastStep()) {
            int next = w.options.steps().get(++w.stepIndex);
            String action = "weight " + w.weight + "% -> " + next + "%" + (w.changes ? "" : " (not applied)");
            if (w.changes) {
                traffic.setWeight(next);
            }
            w.weight = next;
            return action;
        }
        if (w.changes && w.options.autoPromote()) {
            String action = traffic.promote(w.progress);
            w.end(Outcome.PROMOTED, "every step passed; promoted");
            w.weight = 0;
            return action;
        }
        w.end(Outcome.PASSED, "every step passed" + (w.changes ? "; promote with `chatbotctl canary promote`"
                : w.options.autoPromote() ? "; would promote" : ""));
        return "done";
    }

    /** Fail: counts towards failureLimit; reached, roll back (with --auto-rollback) or stop. */
    private String onFail(Watch w, IntervalJudgement j) {
        w.inconclusives = 0;
        w.failures++;
        if (w.failures < analysis.failureLimit()) {
            return "hold at " + w.weight + "% (" + w.failures + "/" + analysis.failureLimit() + " failures)";
        }
        String reason = w.failures + " failed interval" + (w.failures == 1 ? "" : "s") + " in a row (limit "
                + analysis.failureLimit() + "): " + j.reason();
        if (w.changes && w.options.autoRollback()) {
            String action = traffic.rollback(w.progress);
            w.end(Outcome.ROLLED_BACK, reason);
            w.weight = 0;
            return action;
        }
        w.end(Outcome.FAILED, reason);
        return w.options.autoRollback() ? "would roll back" : "stop (roll back with `chatbotctl canary abort`)";
    }

    /** Marginal: hold the weight for another interval. */
    private String onMarginal(Watch w) {
        w.failures = 0;
        w.inconclusives = 0;
        return "hold at " + w.weight + "%";
    }

    /** Inconclusive: hold; inconclusiveLimit in a row end the watch, nothing promoted. */
    private String onInconclusive(Watch w, IntervalJudgement j) {
        w.failures = 0;
        w.inconclusives++;
        if (w.inconclusives < analysis.inconclusiveLimit()) {
            return "hold at " + w.weight + "% (" + w.inconclusives + "/" + analysis.inconclusiveLimit() + " inconclusive)";
        }
        w.end(Outcome.INCONCLUSIVE, w.inconclusives + " inconclusive interval" + (w.inconclusives == 1 ? "" : "s")
                + " in a row: " + j.reason());
        return "stop (nothing promoted)";
    }

    /**
     * Every metric over the interval: one sample per step, each at the end of a step inside the interval, so each
     * sample's rate window lies in the interval and no two share data.
     */
    private IntervalJudgement judgeInterval(WatchOptions options, Instant start, Instant end, EvalEvidence eval) {
        Duration step = analysis.step();
        Instant first = start.plus(step);
        String window = promDuration(analysis.rateWindow());
        List<MetricJudgement> metrics = new ArrayList<>();
        for (MetricSpec spec : analysis.metrics()) {
            String stableQuery = spec.resolve("stable", options.namespace(), window);
            String canaryQuery = spec.resolve("canary", options.namespace(), window);
            double[] stable = source.samples(stableQuery, first, end, step);
            double[] canary = source.samples(canaryQuery, first, end, step);
            metrics.add(judge.classify(spec, stable, canary).withQueries(stableQuery, canaryQuery));
        }
        if (eval != null) {
            metrics.add(eval.toMetric());
        }
        return judge.judge(metrics);
    }

    private void preflight(WatchOptions options, Instant at) {
        String window = promDuration(analysis.rateWindow());
        for (MetricSpec spec : analysis.metrics()) {
            source.check(spec.resolve("canary", options.namespace(), window), at);
        }
    }

    private ChatbotctlException written(WatchOptions options, ChatbotctlException e, Instant startedAt,
                                        List<IntervalReport> intervals, int weight) {
        if (options.out() != null && !intervals.isEmpty()) {
            write(options, report(options, Outcome.INCONCLUSIVE, "stopped: " + e.getMessage(), startedAt, intervals, weight));
        }
        return e;
    }

    private CanaryReport report(WatchOptions options, Outcome outcome, String reason, Instant startedAt,
                                List<IntervalReport> intervals, int weight) {
        Instant finished = options.replay() && !intervals.isEmpty() ? intervals.get(intervals.size() - 1).end() : clock.instant();
        return new CanaryReport(outcome, outcome.exitCode(), reason, options.namespace(), analysis.source(),
                options.steps(), options.interval().toMillis() / 1000.0, options.dryRun() || options.replay(),
                options.replay(), startedAt, finished, weight, List.copyOf(intervals));
    }

    private static void write(WatchOptions options, CanaryReport report) {
        if (options.out() == null) {
            return;
        }
        byte[] json;
        try {
            json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the canary report", e);
        }
        AtomicFiles.write(options.out(), out -> out.write(json));
    }

    private void validate(WatchOptions o) {
        if (o.steps().isEmpty()) {
            throw new InvalidInputException("--steps needs at least one weight, e.g. 5,10,25,50");
        }
        int previous = 0;
        for (int w : o.steps()) {
            if (w < 1 || w > 100 || w <= previous) {
                throw new InvalidInputException("--steps must be increasing percentages from 1 to 100, not " + o.steps());
            }
            previous = w;
        }
        if (o.interval().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidInputException("--interval must be at least 1s, not " + o.interval().toMillis() + "ms");
        }
        if ((o.from() == null) != (o.to() == null)) {
            throw new InvalidInputException("--from and --to go together", "give both to replay a past window");
        }
        if (o.from() != null && !o.from().isBefore(o.to())) {
            throw new InvalidInputException("--from must be before --to");
        }
        int samples = analysis.samplesPer(o.interval());
        for (MetricSpec m : analysis.metrics()) {
            if ((m.critical() || m.weight() > 0) && samples < m.minSamples()) {
                Duration needed = analysis.step().multipliedBy(m.minSamples());
                throw new InvalidInputException("an interval of " + promDuration(o.interval()) + " holds " + samples
                        + " non-overlapping sample" + (samples == 1 ? "" : "s") + " of " + promDuration(analysis.step())
                        + " per track; " + m.name() + " needs " + m.minSamples(),
                        "use --interval " + promDuration(needed) + " or more, or a shorter rateWindow in the analysis file");
            }
        }
    }

    /** A PromQL range: whole seconds as {@code 30s}, otherwise milliseconds. */
    static String promDuration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
