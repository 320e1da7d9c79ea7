package io.chatbotctl.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: a header row, rows of cells, and optional lines printed under it.
 * Build one in a result's {@link Tabular#toTable()}; the CLI's Output prints it.
 */
public record Table(List<String> columns, List<List<String>> rows, List<String> notes) {

    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
    }

    public static Builder of(String... columns) {
        return new Builder(List.of(columns));
    }

    public static final class Builder {
        private final List<String> columns;
        private final List<List<String>> rows = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Builder(List<String> columns) {
            this.columns = columns;
        }

        public Builder row(Object... cells) {
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + columns.size() + " columns");
            }
            List<String> row = new ArrayList<>(cells.length);
            for (Object cell : cells) {
                row.add(cell == null ? "" : cell.toString());
            }
            rows.add(row);
            return this;
        }

        public Builder note(String line) {
            notes.add(line);
            return this;
        }

        public Table build() {
            return new Table(columns, rows, notes);
        }
    }

    /** Columns padded to the widest cell (by code points; East Asian wide characters count as two), two spaces apart. */
    public String render() {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = displayWidth(columns.get(i));
        }
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], displayWidth(row.get(i)));
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, columns, widths);
        for (List<String> row : rows) {
            appendRow(sb, row, widths);
        }
        for (String note : notes) {
            sb.append(note).append('\n');
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - displayWidth(cell) + 2));
            }
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    static int displayWidth(String s) {
        int width = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            width += isWide(cp) ? 2 : 1;
            i += Character.charCount(cp);
        }
        return width;
    }

    private static boolean isWide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6);
    }
}
