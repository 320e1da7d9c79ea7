package io.chatbotctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.Json;
import io.chatbotctl.report.Tabular;

import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;

/** Prints results on stdout as a table, JSON or YAML, and progress and diagnostics on stderr. */
public final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;
    private final boolean interactive;

    public Output(PrintWriter out, PrintWriter err, OutputFormat format, boolean interactive) {
        this.out = out;
        this.err = err;
        this.format = format == null ? OutputFormat.table : format;
        this.interactive = interactive;
    }

    public OutputFormat format() {
        return format;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** Prints one result in the chosen format. */
    public void print(Object result) {
        switch (format) {
            case json -> out.println(write(result, false));
            case yaml -> out.print(write(result, true));
            case table -> out.print(table(result));
        }
        out.flush();
    }

    /** A diagnostic line on stderr. */
    public void info(String line) {
        err.println(line);
        err.flush();
    }

    public void warn(String line) {
        err.println("chatbotctl: warning: " + line);
        err.flush();
    }

    /** Progress of long work: a live line on a terminal, periodic plain lines otherwise. */
    public Progress progress() {
        return new ConsoleProgress(err, interactive);
    }

    private static String write(Object result, boolean yaml) {
        try {
            return yaml ? Json.yaml().writeValueAsString(result)
                    : Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + result.getClass().getSimpleName(), e);
        }
    }

    private static String table(Object result) {
        if (result instanceof Tabular tabular) {
            return tabular.toTable().render();
        }
        if (result instanceof CharSequence text) {
            String s = text.toString();
            return s.endsWith("\n") ? s : s + "\n";
        }
        if (result instanceof Record record) {
            return keyValues(record);
        }
        return write(result, true);
    }

    private static String keyValues(Record record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        int width = 0;
        for (RecordComponent c : components) {
            width = Math.max(width, c.getName().length());
        }
        StringBuilder sb = new StringBuilder();
        for (RecordComponent c : components) {
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            sb.append(String.format("%-" + (width + 2) + "s%s%n", c.getName() + ":", value == null ? "-" : value));
        }
        return sb.toString();
    }
}
