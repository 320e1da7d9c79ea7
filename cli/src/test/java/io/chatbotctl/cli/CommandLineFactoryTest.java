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
    void aGroupBuildsOnlyTheSubcommandNamedRightAfterIt() {
        int model = RootCommand.SUBCOMMANDS.get(ModelCommand.class).size();
        assertEquals(Set.of("sync"), modelSubcommands("model", "sync", "s3://b/p/", "dest"));
        assertEquals(Set.of("verify"), modelSubcommands("-o", "json", "model", "verify", "dest"));
        assertEquals(model, modelSubcommands("model", "--help").size());
        assertEquals(model, modelSubcommands("model").size());
        assertEquals(model, modelSubcommands("model", "snyc").size(), "suggestions for a typo come from every subcommand");
        assertEquals(model, modelSubcommands("--help").size());
        assertEquals(model, modelSubcommands("completion", "bash").size());
        CommandLine runbook = create("runbook", "--pod", "list", "show", "gpu-oom").getSubcommands().get("runbook");
        assertEquals(Set.of("list", "show"), runbook.getSubcommands().keySet(), "an option value is not taken for a subcommand");
    }

    @Test
    void aSubcommandBuiltAloneRunsWithTheRootAndGroupOptions() {
        CliRunner.Result r = new CliRunner().run("-o", "json", "model", "verify", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Usage: chatbotctl model verify") && r.out().contains("--output=FORMAT"), r.out());
        CliRunner.Result typo = new CliRunner().run("model", "snyc");
        assertEquals(2, typo.exitCode(), typo.toString());
        assertTrue(typo.err().contains("'snyc'") && typo.err().contains("chatbotctl model --help"), typo.err());
    }

    @Test
    void aCommandBuiltAloneKeepsTheInheritedRootOptions() {
        CliRunner.Result r = new CliRunner().run("render", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("--namespace=NAMESPACE") && r.out().contains("--output=FORMAT"), r.out());
    }

    private static Set<String> subcommands(String... args) {
        return create(args).getSubcommands().keySet();
    }

    private static Set<String> modelSubcommands(String... args) {
        return create(args).getSubcommands().get("model").getSubcommands().keySet();
    }

    private static CommandLine create(String... args) {
        PrintWriter sink = new PrintWriter(new StringWriter());
        return CommandLineFactory.create(sink, sink, CliEnvironment.system(), args);
    }
}
