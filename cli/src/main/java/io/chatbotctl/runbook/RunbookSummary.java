package io.chatbotctl.runbook;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;

/** {@code chatbotctl runbook list}. */
public record RunbookSummary(List<Entry> runbooks) implements Tabular {

    /** @param steps number of steps */
    public record Entry(String name, String title, int steps, String whenToUse) {
    }

    public static RunbookSummary of(List<Runbook> runbooks) {
        return new RunbookSummary(runbooks.stream()
                .map(r -> new Entry(r.name(), r.title(), r.steps().size(), r.whenToUse())).toList());
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("NAME", "STEPS", "TITLE");
        runbooks.forEach(r -> table.row(r.name(), r.steps(), r.title()));
        return table.build();
    }
}
