package io.chatbotctl.loadtest;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;
import java.util.Locale;

/**
 * A sweep: each step's full result, and the highest value whose run was VALID and met every SLO.
 *
 * @param best the highest passing value, or null when no step passed
 */
public record SweepResult(int schemaVersion, String parameter, List<Step> steps, Double best) implements Tabular {

    /** @param passed VALID and every SLO met */
    public record Step(double value, boolean passed, LoadTestResult result) {}

    @Override
    public Table toTable() {
        Table.Builder t = Table.of(parameter.toUpperCase(Locale.ROOT), "REQ/S", "TOK/S", "TTFT P50", "TTFT P99",
                "ITL P99", "E2E P99", "ERRORS", "STATUS", "SLOS");
        for (Step s : steps) {
            LoadTestResult r = s.result();
            MetricSummary ttft = r.results().latencies().get("ttft");
            t.row(fmt(s.value()), LoadTestResult.f(r.results().requestsPerSecond()),
                    LoadTestResult.f(r.results().outputTokensPerSecond()), LoadTestResult.f(ttft.p50Ms()),
                    LoadTestResult.f(ttft.p99Ms()), LoadTestResult.f(r.results().latencies().get("itl").p99Ms()),
                    LoadTestResult.f(r.results().latencies().get("e2e").p99Ms()), r.results().failed(), r.status(),
                    r.slos().isEmpty() ? "-" : r.breaches().isEmpty() ? "met" : "breached: " + String.join(", ",
                            r.breaches().stream().map(LoadTestResult.SloOutcome::slo).toList()));
        }
        t.note("");
        t.note(best == null ? "No step met the SLOs." : "Highest " + parameter + " meeting the SLOs: " + fmt(best));
        return t.build();
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
