package io.chatbotctl.eval;

import io.chatbotctl.core.AtomicFiles;

import java.nio.file.Path;
import java.util.Locale;

/** Markdown summaries for a pull-request comment: the run by category, or the gate's rules, flips and failing cases. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static void writeRun(Path file, EvalResults results) {
        AtomicFiles.writeString(file, run(results));
    }

    public static void writeGate(Path file, GateResult gate) {
        AtomicFiles.writeString(file, gate(gate));
    }

    static String run(EvalResults r) {
        StringBuilder md = new StringBuilder();
        EvalResults.Summary s = r.summary();
        md.append("## Eval run: ").append(code(r.fingerprint().modelId())).append("\n\n");
        md.append(s.passed()).append(" passed, ").append(s.failed()).append(" failed, ").append(s.errors())
                .append(" infrastructure errors; pass rate ").append(EvalResults.percent(s.passRate()))
                .append(", latency p95 ").append(EvalResults.millis(s.latencyP95Millis())).append("; ")
                .append(r.cacheLine()).append(".\n\n");
        categories(md, r);
        failing(md, r);
        fingerprint(md, r);
        return md.toString();
    }

    static String gate(GateResult g) {
        StringBuilder md = new StringBuilder();
        md.append("## Eval gate: **").append(g.verdict().toUpperCase(Locale.ROOT)).append("** for ")
                .append(code(g.model())).append("\n\n");
        md.append("| Check | Status | Actual | Limit | Detail |\n|---|---|---|---|---|\n");
        for (GateCheck c : g.checks()) {
            md.append("| ").append(cell(c.name())).append(" | ").append(c.status()).append(" | ").append(cell(c.actual()))
                    .append(" | ").append(cell(c.limit())).append(" | ").append(cell(c.detail())).append(" |\n");
        }
        md.append('\n');
        if (g.baseline() != null) {
            BaselineComparison b = g.baseline();
            md.append("### Against the baseline ").append(code(b.baselineModel())).append("\n\n");
            md.append(b.pairs()).append(" paired cases; pass rate ").append(Gate.pct(b.baselinePassRate())).append(" → ")
                    .append(Gate.pct(b.passRate())).append("; McNemar exact p = ").append(GateResult.p(b.mcNemarP())).append(".\n\n");
            if (!b.passToFail().isEmpty()) {
                md.append("Pass → fail: ").append(String.join(", ", b.passToFail().stream().map(MarkdownReport::code).toList())).append("\n\n");
            }
            if (!b.failToPass().isEmpty()) {
                md.append("Fail → pass: ").append(String.join(", ", b.failToPass().stream().map(MarkdownReport::code).toList())).append("\n\n");
            }
        }
        categories(md, g.results());
        failing(md, g.results());
        fingerprint(md, g.results());
        return md.toString();
    }

    private static void categories(StringBuilder md, EvalResults r) {
        md.append("| Category | Cases | Passed | Failed | Errors | Pass rate |\n|---|---:|---:|---:|---:|---:|\n");
        for (EvalResults.CategorySummary c : r.categories()) {
            md.append("| ").append(cell(c.category())).append(" | ").append(c.cases()).append(" | ").append(c.passed())
                    .append(" | ").append(c.failed()).append(" | ").append(c.errors()).append(" | ")
                    .append(EvalResults.percent(c.passRate())).append(" |\n");
        }
        md.append('\n');
    }

    private static void failing(StringBuilder md, EvalResults r) {
        boolean repeated = r.repeated();
        boolean any = false;
        for (CaseResult c : r.cases()) {
            if (c.passed()) {
                continue;
            }
            if (!any) {
                md.append("<details><summary>Failing cases</summary>\n\n| Case | Category | Severity | Status | Why |\n|---|---|---|---|---|\n");
                any = true;
            }
            md.append("| ").append(code(c.displayId(repeated))).append(" | ").append(cell(c.category())).append(" | ")
                    .append(c.severity()).append(" | ").append(c.status()).append(" | ").append(cell(Judge.abbreviate(c.why())))
                    .append(" |\n");
        }
        if (any) {
            md.append("\n</details>\n\n");
        }
    }

    private static void fingerprint(StringBuilder md, EvalResults r) {
        Fingerprint f = r.fingerprint();
        md.append("<sub>dataset ").append(f.datasetSha256(), 0, Math.min(12, f.datasetSha256().length()))
                .append(", params ").append(f.params()).append(", chatbotctl ").append(f.chatbotctlVersion()).append("</sub>\n");
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    private static String code(String s) {
        return "`" + s.replace("`", "'") + "`";
    }
}
