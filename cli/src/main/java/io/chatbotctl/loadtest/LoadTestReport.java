package io.chatbotctl.loadtest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code chatbotctl loadtest} printed and wrote: a single run's result or a sweep, the comparison with an
 * earlier report, and the files written.
 */
public record LoadTestReport(LoadTestResult result, SweepResult sweep, Comparison comparison, List<String> files)
        implements Tabular {

    /** The document printed with {@code -o json}: the run (or sweep) itself, wrapped only when a comparison is added. */
    @JsonIgnore
    public Object document() {
        if (comparison == null) {
            return result != null ? result : sweep;
        }
        return this;
    }

    /** The SLOs the run (or, in a sweep, every step) breached; empty when all held. */
    @JsonIgnore
    public List<LoadTestResult.SloOutcome> breaches() {
        if (result != null) {
            return result.breaches();
        }
        if (sweep.best() != null) {
            return List.of();
        }
        return sweep.steps().get(sweep.steps().size() - 1).result().breaches();
    }

    @JsonIgnore
    public boolean valid() {
        return result != null ? result.valid() : sweep.steps().stream().anyMatch(s -> s.result().valid());
    }

    @Override
    public Table toTable() {
        Table main = result != null ? result.toTable() : sweep.toTable();
        List<String> notes = new ArrayList<>(main.notes());
        if (comparison != null) {
            notes.add("");
            notes.add("Compared with " + comparison.baseline() + ":");
            notes.add(comparison.toTable().render().stripTrailing());
        }
        for (String file : files) {
            notes.add("Wrote " + file);
        }
        return new Table(main.columns(), main.rows(), notes);
    }
}
