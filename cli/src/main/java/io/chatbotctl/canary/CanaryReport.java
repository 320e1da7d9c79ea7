package io.chatbotctl.canary;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The result of {@code canary watch}, also written as {@code --out canary-report.json}.
 *
 * @param outcome         Promoted, Passed, RolledBack, Failed, Inconclusive or PrometheusUnreachable
 * @param exitCode        the process exit code this outcome maps to
 * @param reason          why it ended so
 * @param namespace       the namespace analysed
 * @param analysis        the analysis file used ({@code built-in} for the default)
 * @param steps           the weights in percent
 * @param intervalSeconds length of one interval
 * @param dryRun          whether changes were suppressed (always true in a replay)
 * @param replay          whether a past window was replayed ({@code --from/--to})
 * @param startedAt       when the watch (or the replayed window) started
 * @param finishedAt      when it ended
 * @param finalWeight     the canary weight at the end (0 after a rollback or promotion); in a dry run, what it would be
 * @param intervals       every interval with its values and decisions
 */
public record CanaryReport(Outcome outcome, int exitCode, String reason, String namespace, String analysis,
                           List<Integer> steps, double intervalSeconds, boolean dryRun, boolean replay,
                           Instant startedAt, Instant finishedAt, int finalWeight, List<IntervalReport> intervals)
        implements Tabular {

    @Override
    public Table toTable() {
        Table.Builder t = Table.of("INTERVAL", "WEIGHT", "VERDICT", "SCORE", "ACTION", "REASON");
        for (IntervalReport i : intervals) {
            t.row(i.index(), i.weight() + "%", i.verdict(),
                    Double.isNaN(i.score()) ? "-" : String.format(Locale.ROOT, "%.0f", i.score()), i.action(), i.reason());
        }
        return t.note("").note("canary " + outcome + (dryRun ? " (dry run)" : "") + ": " + reason).build();
    }
}
