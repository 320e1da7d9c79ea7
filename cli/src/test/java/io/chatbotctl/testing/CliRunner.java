package io.chatbotctl.testing;

import io.chatbotctl.cli.CliEnvironment;
import io.chatbotctl.cli.CommandLineFactory;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the real command line in-process with captured stdout and stderr. */
public final class CliRunner {
    private final Map<String, String> variables = new HashMap<>();
    private Path workingDir = Path.of("").toAbsolutePath();
    private InputStream in = new ByteArrayInputStream(new byte[0]);
    private boolean interactive;

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public CliRunner env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public CliRunner workingDir(Path dir) {
        this.workingDir = dir.toAbsolutePath();
        return this;
    }

    public CliRunner stdin(String text) {
        this.in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public CliRunner interactive(boolean interactive) {
        this.interactive = interactive;
        return this;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = new CliEnvironment(Map.copyOf(variables), workingDir, in, interactive);
        int code = CommandLineFactory.create(new PrintWriter(out, true), new PrintWriter(err, true), environment, args)
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs with the repository root as working directory, so {@code chatbotctl.yaml} and {@code manifests/} are found. */
    public static CliRunner inRepository() {
        return new CliRunner().workingDir(Repository.root());
    }
}
