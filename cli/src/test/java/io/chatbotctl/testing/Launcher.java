package io.chatbotctl.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code ./chatbotctl} as a process with no terminal, as CI does. */
public final class Launcher {
    private Launcher() {}

    public static CliRunner.Result run(Path workingDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return run(Repository.file("chatbotctl"), workingDir, env, args);
    }

    /** Runs another wrapper of the jar (the container image's, say) the same way. */
    public static CliRunner.Result run(Path executable, Path workingDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("chatbotctl-out", ".txt");
        Path err = Files.createTempFile("chatbotctl-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("CI", "true");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(executable + " " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        try {
            return new CliRunner.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
