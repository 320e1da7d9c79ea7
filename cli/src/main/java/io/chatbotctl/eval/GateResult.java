package io.chatbotctl.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.chatbotctl.core.ExitCode;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;
import java.util.Locale;

/**
 * The gate's verdict: {@code pass} (exit 0), {@code fail} (exit 1) or {@code inconclusive} (exit 5). Inconclusive
 * wins over fail: a run with too many infrastructure errors or too few cases decides nothing, whatever else it shows.
 *
 * @param verdict       pass, fail or inconclusive
 * @param exitCode      0, 1 or 5
 * @param model         model id of the results
 * @param checks        every rule checked
 * @param failingCases  quality failures (and infrastructure errors), with category, severity and why
 * @param failingCategories categories below their minimum
 * @param baseline      the comparison with {@code --baseline}, or null
 * @param results       the results gated
 */
public record GateResult(String verdict, int exitCode, String model, List<GateCheck> checks, List<FailingCase> failingCases,
                         List<String> failingCategories, BaselineComparison baseline,
                         @JsonIgnore EvalResults results) implements Tabular {

    /** @param status fail or error */
    public record FailingCase(String id, String category, String severity, String status, String why) {
    }

    static GateResult of(String model, List<GateCheck> checks, List<FailingCase> failingCases, List<String> failingCategories,
                         BaselineComparison baseline, EvalResults results) {
        boolean inconclusive = checks.stream().anyMatch(c -> c.status().equals(GateCheck.INCONCLUSIVE));
        boolean failed = checks.stream().anyMatch(c -> c.status().equals(GateCheck.FAIL));
        String verdict = inconclusive ? "inconclusive" : failed ? "fail" : "pass";
        int code = inconclusive ? ExitCode.INCONCLUSIVE : failed ? ExitCode.CHECK_FAILED : ExitCode.OK;
        return new GateResult(verdict, code, model, checks, failingCases, failingCategories, baseline, results);
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("CHECK", "STATUS", "ACTUAL", "LIMIT", "DETAIL");
        for (GateCheck c : checks) {
            table.row(c.name(), c.status().toUpperCase(Locale.ROOT), c.actual(), c.limit(), c.detail());
        }
        table.note("");
        if (baseline != null) {
            table.note("baseline " + baseline.baselineModel() + ": " + baseline.pairs() + " paired cases, "
                    + baseline.passToFail().size() + " pass->fail " + baseline.passToFail() + ", "
                    + baseline.failToPass().size() + " fail->pass, McNemar exact p = " + p(baseline.mcNemarP()));
        }
        for (FailingCase f : failingCases) {
            table.note(f.status().toUpperCase(Locale.ROOT) + " " + f.id() + " [" + f.category() + ", " + f.severity() + "]: "
                    + Judge.abbreviate(f.why()));
        }
        table.note("gate " + verdict.toUpperCase(Locale.ROOT) + " for " + model
                + (failingCategories.isEmpty() ? "" : " (failing categories: " + String.join(", ", failingCategories) + ")"));
        return table.build();
    }

    static String p(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.3g", p) : String.format(Locale.ROOT, "%.4f", p);
    }
}
