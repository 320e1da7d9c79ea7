package io.chatbotctl.runbook;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.time.Instant;
import java.util.List;

/**
 * The result of {@code chatbotctl runbook NAME} ({@code -o json} prints this record).
 *
 * @param runbook    the runbook's name
 * @param namespace  where it looked
 * @param mode       {@code interactive}, {@code yes}, {@code dry-run} or {@code propose} (no terminal, no --yes)
 * @param outcome    {@code healthy} (nothing wrong), {@code resolved} (every problem handled by a done action) or
 *                   {@code problem} (something remains)
 * @param exitCode   0 for healthy and resolved, 1 for problem
 * @param startedAt  start
 * @param finishedAt end
 * @param findings   everything the checks found
 * @param remaining  the problem findings no done action resolves
 * @param steps      every step, skipped ones included
 * @param transcript path of the Markdown transcript
 */
public record RunbookRun(String runbook, String namespace, String mode, String outcome, int exitCode, Instant startedAt,
                         Instant finishedAt, List<Finding> findings, List<Finding> remaining, List<StepRecord> steps,
                         String transcript) implements Tabular {

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("STEP", "KIND", "STATUS", "TITLE");
        steps.forEach(s -> table.row(s.number(), s.kind(), s.status(), s.title()));
        remaining.forEach(f -> table.note("remaining: " + f.code() + " " + f.kind() + "/" + f.name() + ": " + f.message()));
        table.note("outcome: " + outcome + " (exit " + exitCode + ")");
        table.note("transcript: " + transcript);
        return table.build();
    }
}
