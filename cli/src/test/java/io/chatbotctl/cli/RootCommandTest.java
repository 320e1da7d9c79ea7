package io.chatbotctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RootCommandTest {

    @Test
    void helpListsCommandsAndExitCodes() {
        CliRunner.Result r = new CliRunner().run("--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Usage: chatbotctl"), r.out());
        for (String command : new String[] {"demo", "sim", "model", "render", "deploy", "canary", "eval", "loadtest", "runbook", "cost"}) {
            assertTrue(r.out().contains("\n  " + command + " "), "help lists " + command);
        }
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(r.out().contains("5   inconclusive"), r.out());
        assertTrue(r.out().contains("130   interrupted"), r.out());
        assertFalse(r.out().contains("\u001B["), "no colour when output is not a terminal");
    }

    @Test
    void versionNamesVersionCommitAndJava() {
        CliRunner.Result r = new CliRunner().run("version");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().matches("chatbotctl \\S+ \\(commit \\S+, Java 17[^\\n]*\\)\\n"), r.out());
        assertEquals(r.out(), new CliRunner().run("--version").out());
    }

    @Test
    void versionAsJsonParses() throws Exception {
        CliRunner.Result r = new CliRunner().run("version", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode node = Json.mapper().readTree(r.out());
        assertTrue(node.path("java").asText().startsWith("17"), r.out());
        assertTrue(node.has("gitCommit"));
        assertTrue(node.has("version"));
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() throws Exception {
        assertEquals("17", Json.mapper().readTree(new CliRunner().run("-o", "json", "version").out())
                .path("java").asText().substring(0, 2));
        CliRunner.Result yaml = new CliRunner().run("version", "--output=yaml");
        assertTrue(yaml.out().contains("gitCommit: "), yaml.out());
    }

    @Test
    void anUnknownFlagIsAUsageErrorOnOneLineWithAHint() {
        CliRunner.Result r = new CliRunner().run("version", "--bogus");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("chatbotctl: error: Unknown option: '--bogus'"), r.err());
        assertTrue(r.err().contains("hint: see 'chatbotctl version --help'"), r.err());
        assertTrue(r.out().isEmpty());
    }

    @Test
    void anUnknownCommandSuggestsTheNearestOne() {
        CliRunner.Result r = new CliRunner().run("versoin");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("version"), r.err());
    }

    @Test
    void aBadOutputFormatIsAUsageError() {
        CliRunner.Result r = new CliRunner().run("version", "-o", "xml");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("table, json, yaml"), r.err());
    }

    @Test
    void everyCommandHasHelp() {
        java.util.List<String> missing = new java.util.ArrayList<>();
        java.util.Deque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(
                CommandLineFactory.create(new java.io.PrintWriter(new java.io.StringWriter()),
                        new java.io.PrintWriter(new java.io.StringWriter())).getSubcommands().values());
        int checked = 0;
        while (!todo.isEmpty()) {
            picocli.CommandLine command = todo.pop();
            todo.addAll(command.getSubcommands().values());
            String[] path = command.getCommandSpec().qualifiedName(" ").replaceFirst("^chatbotctl ?", "").split(" ");
            String[] args = java.util.Arrays.copyOf(path, path.length + 1);
            args[path.length] = "--help";
            CliRunner.Result r = new CliRunner().run(args);
            if (r.exitCode() != 0 || !r.out().startsWith("Usage: chatbotctl")) {
                missing.add(String.join(" ", args) + " -> " + r.exitCode() + " " + r.err());
            }
            checked++;
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
        assertTrue(checked > 20, "checked " + checked + " commands");
    }

    @Test
    void completionScriptsForBashAndZsh() {
        CliRunner.Result bash = new CliRunner().run("completion", "bash");
        assertEquals(0, bash.exitCode());
        assertTrue(bash.out().contains("complete -F _complete_chatbotctl"), bash.out().substring(0, 200));
        assertTrue(bash.out().contains("loadtest"));
        CliRunner.Result zsh = new CliRunner().run("completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit"), zsh.out().substring(0, 100));
    }
}
