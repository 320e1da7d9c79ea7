package io.chatbotctl.canary;

import io.chatbotctl.prometheus.LocalPrometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.Json;
import io.chatbotctl.core.vllm.VllmCatalog;
import io.chatbotctl.manifest.PromqlLint;
import io.chatbotctl.testing.Promtool;
import io.chatbotctl.testing.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanaryDemoStepTest {
    /** The demo's own query selects a series of the pinned vLLM (the same lint as shipped queries) and parses. */
    @Test
    void warmUpQueryNamesAPinnedSeries(@TempDir Path dir) throws Exception {
        Set<String> scrapeLabels = new TreeSet<>(PromqlLint.OPERATOR_LABELS);
        scrapeLabels.add("track"); // the demo's scrape targets carry it
        PromqlLint lint = new PromqlLint(VllmCatalog.pinned(), Set.of(), scrapeLabels);
        PromqlLint.Result r = lint.check(CanaryDemoStep.WARM_QUERY);
        assertEquals(List.of(), r.errors());
        assertEquals(List.of(), r.warnings());
        Promtool.checkExpressions(dir, List.of(CanaryDemoStep.WARM_QUERY));
    }

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
