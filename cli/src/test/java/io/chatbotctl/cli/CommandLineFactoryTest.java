package io.chatbotctl.cli;

import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only the command being run is built; everything that needs the whole tree still gets it. */
class CommandLineFactoryTest {
    @Test
    void theCommandWordSkipsRootOptionsAndTheirValues() {
        assertEquals("model", CommandLineFactory.commandWord(new String[] {"-o", "json", "model", "sync"}));
        assertEquals("render", CommandLineFactory.commandWord(new String[] {"--config=x.yaml", "-v", "render"}));
        assertEquals("deploy", CommandLineFactory.commandWord(new String[] {"-e", "render", "--namespace", "lint", "deploy"}));
        assertNull(CommandLineFactory.commandWord(new String[] {"--help"}));
    }

    @Test
    void aKnownCommandIsBuiltAloneAndAnythingElseGetsTheWholeTree() {
        int all = RootCommand.COMMANDS.size();
        assertEquals(Set.of("model"), subcommands("-o", "json", "model", "sync", "--help"));
        assertEquals(all, subcommands("--help").size());
        assertEquals(all, subcommands().size());
        assertEquals(all, subcommands("completion", "bash").size(), "the completion script covers every command");
        assertEquals(all, subcommands("modl").size(), "suggestions for a typo come from every command");
    }

    @Test
    void aCommandBuiltAloneKeepsTheInheritedRootOptions() {
        CliRunner.Result r = new CliRunner().run("render", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("--namespace=NAMESPACE") && r.out().contains("--output=FORMAT"), r.out());
    }

    private static Set<String> subcommands(String... args) {
        PrintWriter sink = new PrintWriter(new StringWriter());
        CommandLine cmd = CommandLineFactory.create(sink, sink, CliEnvironment.system(), args);
        return cmd.getSubcommands().keySet();
    }
}
