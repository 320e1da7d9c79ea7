package io.chatbotctl.demo;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;
import java.util.Locale;

/**
 * @param steps     each step with its outcome
 * @param ran       steps that ran (ok or failed)
 * @param skipped   steps that did not run because something they need is missing (see each step's {@code toRun})
 * @param reportDir where the reports were written
 */
public record DemoResult(List<StepResult> steps, int ran, int skipped, String reportDir) implements Tabular {

    /** How a step ended. */
    public enum Status {
        /** it ran and found what it looked for */
        OK,
        /** it ran and failed; later steps are not run */
        FAILED,
        /** it did not run: something it needs is missing on this machine */
        SKIPPED,
        /** it did not run because an earlier step failed */
        NOT_RUN;

        /** As the table shows it: {@code OK}, {@code SKIPPED}, {@code NOT RUN}. */
        public String label() {
            return name().replace('_', ' ');
        }

        /** As JSON and YAML give it: {@code ok}, {@code skipped}, {@code not-run}. */
        public String json() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Status of(String json) {
            return valueOf(json.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * @param title   the step's title
     * @param status  how it ended: {@code ok}, {@code failed}, {@code skipped}, {@code not-run} ({@link Status#json()})
     * @param summary what the step found, or why it did not run
     * @param toRun   for SKIPPED: the command that makes it run; otherwise null
     * @param seconds how long it took
     */
    public record StepResult(String title, String status, String summary, String toRun, double seconds) {
        public StepResult(String title, Status status, String summary, String toRun, double seconds) {
            this(title, status.json(), summary, toRun, seconds);
        }

        public Status outcome() {
            return Status.of(status);
        }
    }

    public static DemoResult of(List<StepResult> steps, String reportDir) {
        int ran = (int) steps.stream().filter(s -> s.outcome() == Status.OK || s.outcome() == Status.FAILED).count();
        int skipped = (int) steps.stream().filter(s -> s.outcome() == Status.SKIPPED).count();
        return new DemoResult(List.copyOf(steps), ran, skipped, reportDir);
    }

    public boolean succeeded() {
        return steps.stream().noneMatch(s -> s.outcome() == Status.FAILED);
    }

    /** One line: how many of the steps ran, and how many were skipped or not run. */
    public String summary() {
        StringBuilder line = new StringBuilder(ran + " of " + steps.size() + " steps ran");
        if (skipped > 0) {
            line.append(", ").append(skipped).append(" skipped (see SKIPPED above for the command that makes each run)");
        }
        long notRun = steps.stream().filter(s -> s.outcome() == Status.NOT_RUN).count();
        if (notRun > 0) {
            line.append(", ").append(notRun).append(" not run after a failure");
        }
        return line.toString();
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("#", "STEP", "STATUS", "SECONDS", "RESULT");
        int i = 1;
        for (StepResult s : steps) {
            String result = s.toRun() == null ? s.summary() : s.summary() + "; to run it: " + s.toRun();
            table.row(i++, s.title(), s.outcome().label(), String.format(Locale.ROOT, "%.1f", s.seconds()), result);
        }
        return table.note("").note(summary() + ".").note("Reports: " + reportDir).build();
    }
}
