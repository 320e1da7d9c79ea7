package io.chatbotctl.manifest;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;

/**
 * Every finding of {@code lint}, errors first.
 *
 * @param source   the overlay or directory that was linted
 * @param errors   number of error findings
 * @param warnings number of warning findings
 * @param findings every finding, including passed checks as {@code info}
 */
public record LintReport(String source, int errors, int warnings, List<LintFinding> findings) implements Tabular {

    public LintReport {
        findings = findings.stream()
                .sorted(java.util.Comparator.comparing(LintFinding::severity).thenComparing(LintFinding::check))
                .toList();
    }

    public static LintReport of(String source, List<LintFinding> findings) {
        int errors = (int) findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        int warnings = (int) findings.stream().filter(f -> f.severity() == Severity.WARNING).count();
        return new LintReport(source, errors, warnings, findings);
    }

    public boolean hasErrors() {
        return errors > 0;
    }

    /** The findings of one check. */
    public List<LintFinding> of(String check) {
        return findings.stream().filter(f -> f.check().equals(check)).toList();
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("SEVERITY", "CHECK", "OBJECT", "MESSAGE");
        findings.forEach(f -> table.row(f.severity() == Severity.INFO ? "ok" : f.severity(), f.check(), f.object(), f.message()));
        return table.note("").note(source + ": " + errors + " error(s), " + warnings + " warning(s)").build();
    }
}
