package io.chatbotctl.eval;

import io.chatbotctl.core.Progress;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalDemoStepTest {
    @Test
    void runsTheSmokeDatasetAndGatesIt(@TempDir Path reports) throws Exception {
        assertTrue(io.chatbotctl.cli.DemoCommand.steps().stream().anyMatch(s -> s instanceof EvalDemoStep), "the demo runs the eval step");
        try (DemoContext context = new DemoContext(reports, Repository.root(), Progress.NONE)) {
            String summary = new EvalDemoStep().run(context);
            assertTrue(summary.startsWith("smoke 5/5 passed") && summary.contains("gate pass"), summary);
        }
        EvalResults results = EvalResults.read(reports.resolve("eval/results.json"));
        assertEquals(5, results.summary().passed());
        assertTrue(Files.readString(reports.resolve("eval/gate.md")).contains("**PASS**"));
        assertTrue(Files.size(reports.resolve("eval/gate.xml")) > 0);
        assertTrue(Files.size(reports.resolve("eval/results.xml")) > 0);
    }
}
