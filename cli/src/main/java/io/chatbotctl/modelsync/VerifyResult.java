package io.chatbotctl.modelsync;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;

/**
 * What {@code model verify} found.
 *
 * @param destination  the directory
 * @param source       where its files came from
 * @param deep         whether every byte was re-hashed
 * @param complete     whether the COMPLETE marker exists and names this manifest
 * @param files        files in the manifest
 * @param mismatches   each problem found; empty when the directory is intact
 */
public record VerifyResult(String destination, String source, boolean deep, boolean complete, int files,
                           List<Mismatch> mismatches) implements Tabular {

    /**
     * @param path     relative path ({@code .chatbotctl/COMPLETE} for the marker)
     * @param problem  {@code missing}, {@code size}, {@code checksum} or {@code incomplete}
     * @param detail   expected and actual values
     */
    public record Mismatch(String path, String problem, String detail) {
    }

    public boolean ok() {
        return mismatches.isEmpty();
    }

    @Override
    public Table toTable() {
        if (ok()) {
            return Table.of("RESULT").row("ok: " + files + " files match the manifest" + (deep ? " byte for byte" : " (size)")
                    + ", marked complete").build();
        }
        Table.Builder table = Table.of("PATH", "PROBLEM", "DETAIL");
        mismatches.forEach(m -> table.row(m.path(), m.problem(), m.detail()));
        return table.note(mismatches.size() + " problem(s) in " + destination).build();
    }
}
