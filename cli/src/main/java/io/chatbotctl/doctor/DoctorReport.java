package io.chatbotctl.doctor;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;

/**
 * Everything {@code chatbotctl doctor} found, in check order (docs/doctor.md, "JSON").
 *
 * @param environment the environment checked
 * @param namespace   the service's namespace
 * @param server      the API server URL
 * @param status      the worst status of all checks
 * @param ok          number of ok checks
 * @param warnings    number of warn checks
 * @param failures    number of fail checks
 * @param checks      every check's result
 */
public record DoctorReport(String environment, String namespace, String server, Status status, int ok, int warnings,
                           int failures, List<CheckResult> checks) implements Tabular {

    public DoctorReport {
        checks = List.copyOf(checks);
    }

    public static DoctorReport of(String environment, String namespace, String server, List<CheckResult> checks) {
        Status worst = Status.OK;
        int[] counts = new int[Status.values().length];
        for (CheckResult c : checks) {
            worst = worst.worst(c.status());
            counts[c.status().ordinal()]++;
        }
        return new DoctorReport(environment, namespace, server, worst, counts[0], counts[1], counts[2], checks);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("STATUS", "GROUP", "CHECK", "EVIDENCE");
        for (CheckResult c : checks) {
            table.row(c.status(), c.group(), c.check(), c.evidence());
            if (c.fix() != null) {
                table.row("", "", "", "fix: " + c.fix());
            }
        }
        return table.note("").note(environment + " (" + namespace + " on " + server + "): " + ok + " ok, " + warnings
                + " warning(s), " + failures + " failure(s)").build();
    }
}
