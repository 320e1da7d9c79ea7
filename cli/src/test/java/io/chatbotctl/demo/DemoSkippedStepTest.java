package io.chatbotctl.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;
import io.chatbotctl.core.DemoStepSkipped;
import io.chatbotctl.core.Json;
import io.chatbotctl.core.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A step that did not run is SKIPPED with the command that makes it run, never ok, and the summary counts what ran. */
class DemoSkippedStepTest {
    @TempDir
    Path reports;

    private static DemoStep step(String title, String summary) {
        return new DemoStep() {
            public String title() {
                return title;
            }

            public String run(DemoContext context) {
                return summary;
            }
        };
    }

    private static final DemoStep NEEDS_PROMETHEUS = new DemoStep() {
        public String title() {
            return "canary analysis";
        }

        public String run(DemoContext context) throws DemoStepSkipped {
            throw new DemoStepSkipped("/usr/bin/prometheus is not installed", "sudo apt-get install -y prometheus");
        }
    };

    @Test
    void aStepThatCannotRunIsShownSkippedWithTheCommandThatMakesItRun() throws Exception {
        DemoResult result = new Demo().run(List.of(step("start", "started"), NEEDS_PROMETHEUS, step("cost", "$5,000")),
                reports, reports, Progress.NONE);

        assertTrue(result.succeeded(), "a skipped step is no failure");
        assertEquals(2, result.ran());
        assertEquals(1, result.skipped());
        DemoResult.StepResult skipped = result.steps().get(1);
        assertEquals(DemoResult.Status.SKIPPED, skipped.outcome());
        assertEquals("sudo apt-get install -y prometheus", skipped.toRun());
        assertNull(result.steps().get(0).toRun());

        String table = result.toTable().render();
        assertTrue(table.lines().anyMatch(l -> l.contains("canary analysis") && l.contains("SKIPPED")
                && l.contains("/usr/bin/prometheus is not installed; to run it: sudo apt-get install -y prometheus")), table);
        assertFalse(table.lines().anyMatch(l -> l.contains("canary analysis") && l.contains(" OK ")), table);
        assertTrue(table.contains("2 of 3 steps ran, 1 skipped"), table);

        JsonNode json = Json.mapper().valueToTree(result);
        assertEquals("skipped", json.path("steps").get(1).path("status").asText(), json.toString());
        assertEquals("sudo apt-get install -y prometheus", json.path("steps").get(1).path("toRun").asText());
        assertEquals("ok", json.path("steps").get(0).path("status").asText());
        assertEquals(2, json.path("ran").asInt());
        assertEquals(1, json.path("skipped").asInt());
    }

    @Test
    void stepsAfterAFailureAreNotRunAndNotCountedAsRan() throws Exception {
        DemoStep failing = new DemoStep() {
            public String title() {
                return "eval gate";
            }

            public String run(DemoContext context) {
                throw new CheckFailedException("gate failed");
            }
        };
        DemoResult result = new Demo().run(List.of(step("start", "started"), failing, step("cost", "$5,000")),
                reports, reports, Progress.NONE);

        assertFalse(result.succeeded());
        assertEquals(2, result.ran());
        assertEquals(0, result.skipped());
        assertEquals(DemoResult.Status.NOT_RUN, result.steps().get(2).outcome());
        assertTrue(result.toTable().render().contains("2 of 3 steps ran, 1 not run after a failure"), result.toTable().render());
    }
}
