package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Percentile deltas between an earlier report ({@code --compare old.json}) and this run: per metric and
 * percentile the old and new values in milliseconds and the change in percent (positive = slower).
 */
public record Comparison(String baseline, List<Row> rows, double oldRequestsPerSecond, double newRequestsPerSecond)
        implements Tabular {

    public record Row(String metric, String statistic, double oldMs, double newMs, double deltaMs, double deltaPercent) {}

    private static final List<String> STATISTICS = List.of("p50", "p90", "p99", "p99.9", "max");

    public static Comparison of(Path oldReport, LoadTestResult current) {
        return of(oldReport, readReport(oldReport), current);
    }

    /** Reads and checks an earlier report, so a wrong {@code --compare} file is refused before any load is sent. */
    public static JsonNode readReport(Path oldReport) {
        JsonNode old = read(oldReport);
        if (!old.path("results").path("latencies").isObject()) {
            throw new InvalidInputException(oldReport + " is not a loadtest report (no results.latencies)",
                    "give a file written by chatbotctl loadtest --out");
        }
        return old;
    }

    public static Comparison of(Path oldReport, JsonNode old, LoadTestResult current) {
        JsonNode latencies = old.path("results").path("latencies");
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, MetricSummary> e : current.results().latencies().entrySet()) {
            JsonNode before = latencies.get(e.getKey());
            if (before == null) {
                continue;
            }
            for (String stat : STATISTICS) {
                String field = stat.equals("p99.9") ? "p999Ms" : stat + "Ms";
                double oldMs = before.path(field).asDouble(Double.NaN);
                double newMs = e.getValue().statistic(stat);
                double delta = MetricSummary.round(newMs - oldMs);
                rows.add(new Row(e.getKey(), stat, oldMs, newMs, delta,
                        oldMs == 0 ? 0 : Math.round(1000 * delta / oldMs) / 10.0));
            }
        }
        return new Comparison(oldReport.toString(), rows, old.path("results").path("requestsPerSecond").asDouble(),
                current.results().requestsPerSecond());
    }

    private static JsonNode read(Path file) {
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read report " + file + ": " + e.getMessage(),
                    "give a file written by chatbotctl loadtest --out");
        }
    }

    @Override
    public Table toTable() {
        Table.Builder t = Table.of("METRIC", "STAT", "OLD (ms)", "NEW (ms)", "DELTA (ms)", "DELTA");
        for (Row r : rows) {
            t.row(r.metric(), r.statistic(), LoadTestResult.f(r.oldMs()), LoadTestResult.f(r.newMs()),
                    String.format(Locale.ROOT, "%+.2f", r.deltaMs()), String.format(Locale.ROOT, "%+.1f%%", r.deltaPercent()));
        }
        t.note(String.format(Locale.ROOT, "Requests/s: %.2f -> %.2f (baseline %s)", oldRequestsPerSecond,
                newRequestsPerSecond, baseline));
        return t.build();
    }
}
