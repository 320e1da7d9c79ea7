package io.chatbotctl.runbook;

import io.chatbotctl.config.WorkloadNames;

import io.chatbotctl.core.ExitCode;
import io.chatbotctl.core.Progress;
import io.chatbotctl.prometheus.PrometheusClient;
import io.chatbotctl.kube.KubeConnection;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a runbook: checks classify, shows and notes inform, and every act is asked about (or applied with --yes,
 * or only printed with --dry-run or when no one can be asked). Writes the Markdown transcript, also when it fails.
 */
public final class RunbookRunner {
    private final KubeConnection connection;
    private final WorkloadNames names;
    private final String namespace;
    private final PrometheusClient prometheus;
    private final Clock clock;

    /**
     * @param connection the cluster; its namespace is the service's
     * @param prometheus null when none is configured (runbooks that need it then fail with a hint)
     */
    public RunbookRunner(KubeConnection connection, PrometheusClient prometheus, Clock clock) {
        this(connection, prometheus, clock, WorkloadNames.defaults());
    }

    /** @param names the service's object names and labels, from chatbotctl.yaml */
    public RunbookRunner(KubeConnection connection, PrometheusClient prometheus, Clock clock, WorkloadNames names) {
        this.names = names;
        this.connection = connection;
        this.namespace = connection.namespace();
        this.prometheus = prometheus;
        this.clock = clock;
    }

    /** @param confirmer who answers the y/N questions; {@link Confirmer#NOBODY} when no one is at a terminal */
    public RunbookRun run(Runbook runbook, RunOptions options, Confirmer confirmer, Progress progress) {
        RunContext context = new RunContext(connection.client(), namespace, names, prometheus, options, progress, clock);
        String mode = options.dryRun() ? "dry-run" : options.yes() ? "yes" : confirmer == Confirmer.NOBODY ? "propose" : "interactive";
        Instant started = clock.instant();
        Findings findings = new Findings();
        List<StepRecord> records = new ArrayList<>();
        Set<String> resolved = new HashSet<>();
        progress.log("runbook " + runbook.name() + ": " + runbook.title() + " (namespace " + namespace + ", " + mode + ")");
        int number = 0;
        try {
            for (Step step : runbook.steps()) {
                number++;
                StepRecord record = runStep(context, step, number, findings, confirmer, mode);
                records.add(record);
                narrate(progress, record);
                if (record.status().equals("done")) {
                    resolved.addAll(step.resolvedCodes());
                }
                if (step.stops() && !record.status().equals("skipped")) {
                    break;
                }
            }
        } catch (KubernetesClientException e) {
            RuntimeException failure = connection.failure("run step " + number + " of runbook " + runbook.name(), e);
            Transcript.write(options.transcript(), runbook, result(runbook, mode, "error", started, findings, resolved,
                    records, options), failure.getMessage());
            throw failure;
        } catch (RuntimeException e) {
            Transcript.write(options.transcript(), runbook, result(runbook, mode, "error", started, findings, resolved,
                    records, options), e.getMessage());
            throw e;
        }
        RunbookRun run = result(runbook, mode, null, started, findings, resolved, records, options);
        Transcript.write(options.transcript(), runbook, run, null);
        return run;
    }

    private StepRecord runStep(RunContext context, Step step, int number, Findings findings, Confirmer confirmer, String mode) {
        Instant at = clock.instant();
        String kind = step.kind().toString();
        if ((step.when() != null && !findings.allMatch(step.when())) || (step.unless() != null && findings.anyMatch(step.unless()))) {
            return new StepRecord(number, kind, step.label(), "skipped", at, List.of(), List.of());
        }
        return switch (step.kind()) {
            case CHECK -> {
                List<Finding> found = Checks.ALL.get(step.check()).run(context, step.params());
                findings.put(step.id() == null ? "step" + number : step.id(), found);
                List<String> lines = found.stream().map(RunbookRunner::line).toList();
                yield new StepRecord(number, kind, step.label(), found.stream().anyMatch(Finding::problem) ? "found" : "ok",
                        at, lines, List.of());
            }
            case SHOW -> new StepRecord(number, kind, step.label(), "shown", at,
                    Shows.ALL.get(step.show()).show(context, step.params(), findings.selectedBy(step.when())), List.of());
            case NOTE -> new StepRecord(number, kind, step.label(), "noted", at, List.of(step.note().strip()), List.of());
            case ACT -> act(context, step, number, at, findings, confirmer, mode);
        };
    }

    private StepRecord act(RunContext context, Step step, int number, Instant at, Findings findings, Confirmer confirmer, String mode) {
        Proposal p = Actions.ALL.get(step.act()).propose(context, step.params(), findings.selectedBy(step.when()));
        List<String> lines = new ArrayList<>();
        lines.add(p.description());
        if (p.notNeeded() != null) {
            return new StepRecord(number, "act", step.label(), "not-needed", at, lines, p.commands());
        }
        if (p.refusal() != null) {
            lines.add("refused: " + p.refusal());
            return new StepRecord(number, "act", step.label(), "refused", at, lines, p.commands());
        }
        if (p.warning() != null) {
            lines.add("warning: " + p.warning());
        }
        String status;
        switch (mode) {
            case "dry-run" -> {
                lines.add("dry run: not changed");
                status = "dry-run";
            }
            case "propose" -> {
                lines.add("proposed only: no terminal to ask on; rerun with --yes to apply");
                status = "proposed";
            }
            default -> {
                boolean go = mode.equals("yes") || ask(context, confirmer, step, p);
                if (!go) {
                    lines.add("declined: not changed");
                    status = "declined";
                } else {
                    Proposal.Outcome outcome = p.effect().apply();
                    lines.addAll(outcome.lines());
                    status = outcome.complete() ? "done" : "incomplete";
                }
            }
        }
        return new StepRecord(number, "act", step.label(), status, at, lines, p.commands());
    }

    private static boolean ask(RunContext context, Confirmer confirmer, Step step, Proposal p) {
        context.progress.log("  → " + p.description());
        p.commands().forEach(c -> context.progress.log("    $ " + c));
        if (p.warning() != null) {
            context.progress.log("    warning: " + p.warning());
        }
        return confirmer.confirm(step.label() + "?");
    }

    private RunbookRun result(Runbook runbook, String mode, String forcedOutcome, Instant started, Findings findings,
                              Set<String> resolved, List<StepRecord> records, RunOptions options) {
        List<Finding> all = findings.all();
        List<Finding> remaining = all.stream().filter(f -> f.problem() && !resolved.contains(f.code())).toList();
        boolean anyProblem = all.stream().anyMatch(Finding::problem);
        String outcome = forcedOutcome != null ? forcedOutcome : !anyProblem ? "healthy" : remaining.isEmpty() ? "resolved" : "problem";
        int exit = outcome.equals("healthy") || outcome.equals("resolved") ? ExitCode.OK : ExitCode.CHECK_FAILED;
        return new RunbookRun(runbook.name(), namespace, mode, outcome, exit, started, clock.instant(), all, remaining,
                List.copyOf(records), options.transcript().toString());
    }

    private static String line(Finding f) {
        return (f.problem() ? "✗ " : "· ") + f.code() + " " + f.kind() + "/" + f.name() + ": " + f.message()
                + (f.evidence() == null ? "" : "\n    " + f.evidence());
    }

    private static void narrate(Progress progress, StepRecord record) {
        progress.log(String.format("[%d] %s %s: %s", record.number(), record.kind(), record.status(), record.title()));
        if (!record.status().equals("skipped")) {
            record.lines().forEach(l -> progress.log("    " + l.replace("\n", "\n    ")));
        }
    }
}
