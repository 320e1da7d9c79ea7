package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.Json;
import io.chatbotctl.sim.SimulatorDemoStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadTestDemoStepTest {
    @TempDir
    Path dir;

    @Test
    void loadTestsTheDemoSimulatorAndWritesTheReports() throws Exception {
        try (DemoContext context = new DemoContext(dir, dir, Progress.NONE)) {
            new SimulatorDemoStep().run(context);
            String summary = new LoadTestDemoStep().run(context);
            assertTrue(summary.contains("TTFT p50") && summary.contains("loadtest.html"), summary);
            assertTrue(Files.readString(dir.resolve("loadtest.html")).contains("id=\"percentiles\""));
            JsonNode report = Json.mapper().readTree(dir.resolve("loadtest.json").toFile());
            assertEquals("open", report.path("configuration").path("mode").asText());
            assertEquals(0, report.path("results").path("failed").asLong(), report.toString());
            assertTrue(report.path("results").path("succeeded").asLong() > 50, report.toString());
            assertTrue(report.has("server"), "the simulator's /metrics was read");
        }
    }
}
