package io.chatbotctl.loadtest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.InconclusiveException;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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

    /**
     * Exit 1 when an SLO was breached, 5 when the run is INVALID (the generator did not keep its schedule or its
     * sends left late); called after the report is shown.
     */
    public void requirePassed() {
        List<LoadTestResult.SloOutcome> breaches = breaches();
        if (!breaches.isEmpty()) {
            throw new CheckFailedException("SLO breached: " + breaches.stream()
                    .map(s -> s.slo() + " (observed " + s.observedText() + ")").collect(Collectors.joining(", ")),
                    "the report above shows every percentile; the SLOs are the ones given with --slo");
        }
        if (!valid()) {
            String why = result != null && result.statusReason() != null ? result.statusReason()
                    : "the load generator could not keep its schedule";
            throw new InconclusiveException("the run is INVALID: " + why,
                    "lower --rate or --concurrency, give the generator more CPU, or raise --max-schedule-lag");
        }
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
