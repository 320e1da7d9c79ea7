package io.chatbotctl.demo;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;

/**
 * @param steps     each step with its outcome
 * @param reportDir where the reports were written
 */
public record DemoResult(List<StepResult> steps, String reportDir) implements Tabular {

    /**
     * @param title   the step's title
     * @param status  {@code ok}, {@code failed} or {@code skipped}
     * @param summary what the step found
     * @param seconds how long it took
     */
    public record StepResult(String title, String status, String summary, double seconds) {
    }

    public boolean succeeded() {
        return steps.stream().noneMatch(s -> s.status().equals("failed"));
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("#", "STEP", "STATUS", "SECONDS", "RESULT");
        int i = 1;
        for (StepResult s : steps) {
            table.row(i++, s.title(), s.status(), String.format(java.util.Locale.ROOT, "%.1f", s.seconds()), s.summary());
        }
        return table.note("").note("Reports: " + reportDir).build();
    }
}
