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
 * The canary analysis loop. Every interval it queries stable and canary, judges, and then: Pass moves the weight to
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

    /** @param traffic the cluster side; null in a dry run or a replay */
    public CanaryWatch(Analysis analysis, MetricSource source, CanaryTraffic traffic, Clock clock, Sleeper sleeper) {
        this.analysis = analysis;
        this.source = source;
        this.traffic = traffic;
        this.clock = clock;
        this.sleeper = sleeper;
        this.judge = new Judge(analysis);
    }

    /**
     * Runs the watch to its end and writes the report to {@code options.out()} when set (also when it ends early).
     *
     * @param onInterval called after every interval, e.g. to print the live table
     */
    public CanaryReport run(WatchOptions options, Consumer<IntervalReport> onInterval, Progress progress)
            throws InterruptedException {
        validate(options);
        boolean changes = !options.dryRun() && !options.replay();
        if (changes && traffic == null) {
            throw new IllegalStateException("a live watch that changes weights needs the cluster");
        }
        Instant startedAt = options.replay() ? options.from() : clock.instant();
        List<IntervalReport> intervals = new ArrayList<>();
        List<Integer> steps = options.steps();
        int stepIndex = 0;
        int weight = steps.get(0);
        Outcome outcome = null;
        String reason = null;
        int failures = 0;
        int inconclusives = 0;
        int maxIntervals = 2 * steps.size() + analysis.failureLimit() + analysis.inconclusiveLimit();
        Instant windowStart = startedAt;
        try {
            preflight(options, startedAt);
            if (changes) {
                traffic.setWeight(weight);
            }
            for (int index = 1; outcome == null; index++) {
                Instant windowEnd = windowStart.plus(options.interval());
                int intervalWeight = weight;
                if (options.replay() && windowEnd.isAfter(options.to())) {
                    outcome = Outcome.INCONCLUSIVE;
                    reason = "the replayed window ended before a decision (" + intervals.size() + " intervals)";
                    break;
                }
                if (!options.replay()) {
                    progress.update("interval " + index + " at weight " + weight + "%: collecting until " + windowEnd);
                    sleeper.sleep(Duration.between(clock.instant(), windowEnd));
                }
                IntervalJudgement j = judgeInterval(options, windowStart, windowEnd);
                String action;
                switch (j.verdict()) {
                    case PASS -> {
                        failures = 0;
                        inconclusives = 0;
                        if (stepIndex == steps.size() - 1) {
                            if (changes && options.autoPromote()) {
                                action = traffic.promote(progress);
                                outcome = Outcome.PROMOTED;
                                reason = "every step passed; promoted";
                                weight = 0;
                            } else {
                                action = "done";
                                outcome = Outcome.PASSED;
                                reason = "every step passed" + (changes ? "; promote with `chatbotctl canary promote`"
                                        : options.autoPromote() ? "; would promote" : "");
                            }
                        } else {
                            int next = steps.get(++stepIndex);
                            action = "weight " + weight + "% -> " + next + "%" + (changes ? "" : " (not applied)");
                            if (changes) {
                                traffic.setWeight(next);
                            }
                            weight = next;
                        }
                    }
                    case FAIL -> {
                        inconclusives = 0;
                        failures++;
                        if (failures >= analysis.failureLimit()) {
                            reason = failures + " failed interval" + (failures == 1 ? "" : "s") + " in a row (limit "
                                    + analysis.failureLimit() + "): " + j.reason();
                            if (changes && options.autoRollback()) {
                                action = traffic.rollback(progress);
                                outcome = Outcome.ROLLED_BACK;
                                weight = 0;
                            } else {
                                action = options.autoRollback() ? "would roll back" : "stop (roll back with `chatbotctl canary abort`)";
                                outcome = Outcome.FAILED;
                            }
                        } else {
                            action = "hold at " + weight + "% (" + failures + "/" + analysis.failureLimit() + " failures)";
                        }
                    }
                    case MARGINAL -> {
                        failures = 0;
                        inconclusives = 0;
                        action = "hold at " + weight + "%";
                    }
                    default -> {
                        failures = 0;
                        inconclusives++;
                        if (inconclusives >= analysis.inconclusiveLimit()) {
                            outcome = Outcome.INCONCLUSIVE;
                            reason = inconclusives + " inconclusive interval" + (inconclusives == 1 ? "" : "s")
                                    + " in a row: " + j.reason();
                            action = "stop (nothing promoted)";
                        } else {
                            action = "hold at " + weight + "% (" + inconclusives + "/" + analysis.inconclusiveLimit() + " inconclusive)";
                        }
                    }
                }
                IntervalReport report = new IntervalReport(index, intervalWeight,
                        windowStart, windowEnd, j.verdict(), j.score(), j.reason(), action, j.metrics());
                intervals.add(report);
                onInterval.accept(report);
                if (outcome == null && index >= maxIntervals) {
                    outcome = Outcome.INCONCLUSIVE;
                    reason = "no decision after " + index + " intervals (marginal results)";
                }
                windowStart = windowEnd;
            }
        } catch (PrometheusUnreachableException e) {
            outcome = Outcome.PROMETHEUS_UNREACHABLE;
            reason = "inconclusive, " + e.getMessage();
        } catch (ChatbotctlException e) {
            throw written(options, e, startedAt, intervals, weight);
        }
        CanaryReport report = report(options, outcome, reason, startedAt, intervals, weight);
        write(options, report);
        return report;
    }

    private IntervalJudgement judgeInterval(WatchOptions options, Instant start, Instant end) {
        Duration step = analysis.resolutionFor(options.interval());
        String window = promDuration(analysis.rateWindow());
        List<MetricJudgement> metrics = new ArrayList<>();
        for (MetricSpec spec : analysis.metrics()) {
            String stableQuery = spec.resolve("stable", options.namespace(), window);
            String canaryQuery = spec.resolve("canary", options.namespace(), window);
            double[] stable = source.samples(stableQuery, start, end, step);
            double[] canary = source.samples(canaryQuery, start, end, step);
            metrics.add(judge.classify(spec, stable, canary).withQueries(stableQuery, canaryQuery));
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

    private static void validate(WatchOptions o) {
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
    }

    /** A PromQL range: whole seconds as {@code 30s}, otherwise milliseconds. */
    static String promDuration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
