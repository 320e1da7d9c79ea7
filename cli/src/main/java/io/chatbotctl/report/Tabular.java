package io.chatbotctl.report;

/** A result that knows how it looks as a table ({@code -o table}); JSON and YAML come from the record's fields. */
public interface Tabular {
    Table toTable();
}
