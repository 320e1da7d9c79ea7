package io.chatbotctl.delivery;

import io.chatbotctl.cli.CliEnvironment;
import io.chatbotctl.cli.CommandLineFactory;
import io.chatbotctl.testing.RealParts;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workflows are valid GitHub Actions and call only commands and flags that exist. */
class WorkflowsTest {
    private static final String VALIDATOR = ".tools/node/node_modules/.bin/action-validator";

    @Test
    void theThreeWorkflowsExist() throws Exception {
        List<String> names = Workflows.files().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("cd.yml", "ci.yml", "model-eval.yml"), names);
    }

    @Test
    void everyWorkflowPassesTheIndependentValidator() throws Exception {
        for (Path workflow : Workflows.files()) {
            Validation v = validate(workflow);
            assertEquals(0, v.exitCode(), workflow + " rejected by action-validator:\n" + v.output());
        }
    }

    @Test
    void theValidatorRejectsABrokenWorkflow() throws Exception {
        Path broken = Path.of(WorkflowsTest.class.getResource("/workflows/broken.yml").toURI());
        assertNotEquals(0, validate(broken).exitCode(), "action-validator must reject a workflow without runs-on");
    }

    @Test
    void everyChatbotctlLineParses() throws Exception {
        List<String> problems = new ArrayList<>();
        int parsed = 0;
        for (Path workflow : Workflows.files()) {
            for (List<String> args : Workflows.chatbotctlCommands(workflow)) {
                CommandLine cmd = CommandLineFactory.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                        new CliEnvironment(Map.of(), Repository.root(), System.in, false), new String[0]);
                try {
                    cmd.parseArgs(args.toArray(String[]::new));
                    parsed++;
                } catch (CommandLine.ParameterException e) {
                    problems.add(workflow.getFileName() + ": chatbotctl " + String.join(" ", args) + "\n    " + e.getMessage());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(parsed >= 10, "found only " + parsed + " chatbotctl command lines");
    }

    @Test
    void theCommandParserCatchesAnUnknownFlag() {
        CommandLine cmd = CommandLineFactory.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new CliEnvironment(Map.of(), Repository.root(), System.in, false), new String[0]);
        List<String> words = ShellWords.split("./chatbotctl version --no-such-flag > out.txt");
        assertEquals(List.of("./chatbotctl", "version", "--no-such-flag", ">", "out.txt"), words);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(CommandLine.ParameterException.class,
                () -> cmd.parseArgs("version", "--no-such-flag")).getMessage().contains("--no-such-flag"));
    }

    private record Validation(int exitCode, String output) {
    }

    private static Validation validate(Path workflow) throws Exception {
        Path validator = RealParts.require(Repository.file(VALIDATOR).toString(),
                "./scripts/test (npm install --prefix .tools/node @action-validator/cli@0.6.0)");
        Process p = new ProcessBuilder(validator.toString(), workflow.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("action-validator did not finish");
        }
        return new Validation(p.exitValue(), output);
    }
}
