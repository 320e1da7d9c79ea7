package io.chatbotctl.canary;

import io.chatbotctl.prometheus.LocalPrometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanaryDemoStepTest {
    @Test
    void slowerCanaryFailsThroughTheRealPrometheus(@TempDir Path dir) throws Exception {
        RealParts.require(LocalPrometheus.BINARY.toString(), LocalPrometheus.INSTALL);
        String summary;
        try (DemoContext context = new DemoContext(dir, dir, Progress.NONE)) {
            summary = new CanaryDemoStep().run(context);
        }
        assertTrue(summary.startsWith("real Prometheus: slower canary Failed at 10% (ttft_p95 High"), summary);
        JsonNode report = Json.mapper().readTree(dir.resolve("canary-report.json").toFile());
        assertEquals("Failed", report.get("outcome").asText());
        assertTrue(report.get("dryRun").asBoolean());
    }
}
