package io.chatbotctl.runbook;

import io.chatbotctl.core.AtomicFiles;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

/** The Markdown transcript of a run: what was checked, found and done, with times. */
final class Transcript {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Transcript() {}

    static void write(Path file, Runbook runbook, RunbookRun run, String error) {
        AtomicFiles.writeString(file, render(runbook, run, error));
    }

    static String render(Runbook runbook, RunbookRun run, String error) {
        StringBuilder md = new StringBuilder();
        md.append("# Runbook `").append(run.runbook()).append("`: ").append(runbook.title()).append("\n\n");
        md.append("- Namespace: `").append(run.namespace()).append("`\n");
        md.append("- Started: ").append(run.startedAt()).append(", finished: ").append(run.finishedAt()).append('\n');
        md.append("- Mode: ").append(run.mode()).append('\n');
        md.append("- Outcome: **").append(run.outcome()).append("**")
                .append(error == null ? " (exit " + run.exitCode() + ")" : "").append('\n');
        if (error != null) {
            md.append("- Stopped by an error: ").append(error).append('\n');
        }
        md.append("\n## Findings\n\n");
        if (run.findings().isEmpty()) {
            md.append("None.\n");
        } else {
            md.append("| | code | object | finding |\n| --- | --- | --- | --- |\n");
            run.findings().forEach(f -> md.append("| ").append(f.problem() ? "✗" : "·").append(" | `").append(f.code())
                    .append("` | ").append(f.kind()).append('/').append(cell(f.name())).append(" | ").append(cell(f.message()))
                    .append(f.evidence() == null ? "" : "<br>`" + cell(f.evidence()) + "`").append(" |\n"));
        }
        md.append("\n## Steps\n");
        for (StepRecord s : run.steps()) {
            md.append("\n### ").append(s.number()).append(". ").append(s.kind()).append(": ").append(s.title())
                    .append("\n\n").append(TIME.format(s.at())).append(" — **").append(s.status()).append("**\n");
            if (!s.lines().isEmpty()) {
                md.append("\n```\n");
                s.lines().forEach(l -> md.append(l).append('\n'));
                md.append("```\n");
            }
            if (!s.commands().isEmpty()) {
                md.append("\nBy hand:\n\n");
                s.commands().forEach(c -> md.append("    ").append(c).append('\n'));
            }
        }
        if (!run.remaining().isEmpty()) {
            md.append("\n## Still wrong\n\n");
            run.remaining().forEach(f -> md.append("- `").append(f.code()).append("` ").append(f.kind()).append('/')
                    .append(f.name()).append(": ").append(f.message()).append('\n'));
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
