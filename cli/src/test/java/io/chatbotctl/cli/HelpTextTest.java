package io.chatbotctl.cli;

import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's --help renders without picocli warnings (a bare '%' in a description is a format error). */
class HelpTextTest {

    @Test
    void everyHelpRendersCleanly() {
        List<String[]> commands = new ArrayList<>();
        collect(CommandLineFactory.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())),
                new ArrayList<>(), commands);
        PrintStream originalErr = System.err;
        ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
        try {
            for (String[] command : commands) {
                CliRunner.Result result = CliRunner.inRepository().run(command);
                assertEquals(0, result.exitCode(), String.join(" ", command) + "\n" + result);
                assertTrue(result.err().isEmpty(), String.join(" ", command) + "\n" + result);
            }
        } finally {
            System.setErr(originalErr);
        }
        assertEquals("", picocliWarnings.toString(StandardCharsets.UTF_8));
    }

    private static void collect(CommandLine command, List<String> path, List<String[]> commands) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        commands.add(args.toArray(String[]::new));
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                List<String> subPath = new ArrayList<>(path);
                subPath.add(name);
                collect(sub, subPath, commands);
            }
        });
    }
}
