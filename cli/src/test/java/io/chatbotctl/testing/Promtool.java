package io.chatbotctl.testing;

import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's promtool: the real PromQL parser and rule checker. */
public final class Promtool {
    private Promtool() {}

    /** Runs promtool with {@code args}; fails the test unless it exits 0; returns its output. */
    public static String run(String... args) throws IOException, InterruptedException {
        Path promtool = RealParts.require("/usr/bin/promtool", "apt-get install -y prometheus (it ships promtool)");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("promtool " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /**
     * Wraps each expression in a recording rule of one rule file in {@code dir} and runs {@code promtool check rules}
     * on it: the real PromQL parser checks the syntax of every expression.
     */
    public static String checkExpressions(Path dir, List<String> expressions) throws IOException, InterruptedException {
        StringBuilder rules = new StringBuilder("groups:\n- name: shipped\n  rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            rules.append("  - record: shipped:expr_").append(i).append("\n    expr: ")
                    .append(Json.mapper().writeValueAsString(expressions.get(i))).append('\n');
        }
        Path file = dir.resolve("shipped-expressions.yaml");
        Files.writeString(file, rules);
        String out = run("check", "rules", file.toString());
        if (!out.contains("SUCCESS: " + expressions.size() + " rules found")) {
            throw new AssertionError("promtool checked not every expression:\n" + out);
        }
        return out;
    }
}
