package io.chatbotctl.canary;

import io.chatbotctl.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisLoaderTest {

    @Test
    void builtInHasTheDocumentedDefaultSet() {
        Analysis a = AnalysisLoader.builtIn();
        assertEquals(java.util.List.of("ttft_p95", "ttft_p99", "itl_p99", "e2e_p95", "error_rate", "request_rate",
                "kv_cache_usage", "waiting_requests", "preemptions"), a.metrics().stream().map(MetricSpec::name).toList());
        assertEquals(0.98, a.confidence());
        assertEquals(Duration.ofMinutes(1), a.rateWindow());
        assertNull(a.resolution());
        MetricSpec ttft = a.metrics().get(0);
        assertTrue(ttft.critical());
        assertEquals(0.2, ttft.tolerance(), 1e-12);
        assertEquals("histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{namespace=\"ai-serving\",track=\"canary\"}[1m])))",
                ttft.resolve("canary", "ai-serving", "1m"));
        assertTrue(a.metrics().get(4).query().contains("status=~\"5..\""));
        assertEquals(Duration.ofMinutes(1), a.step(), "one sample per rate window: samples do not overlap");
        assertEquals(5, a.samplesPer(Duration.ofMinutes(5)));
        assertEquals(2, a.samplesPer(Duration.ofMinutes(2)));
    }

    @Test
    void errorsNameTheFileAndTheField() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AnalysisLoader.parse(
                "metrics:\n  - name: x\n    query: up{track=\"{{track}}\"}\n    direction: sideways\n", "a.yaml"));
        assertEquals("a.yaml: metrics[0].direction: must be increase or decrease (the direction that is worse)", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> AnalysisLoader.parse("metrcs: []\n", "b.yaml"));
        assertTrue(e.getMessage().startsWith("b.yaml: metrcs: unknown field"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> AnalysisLoader.parse("metrics:\n  - name: x\n    query: up\n", "c.yaml"));
        assertEquals("c.yaml: metrics[0].query: must select the track with {{track}}", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> AnalysisLoader.parse(
                "rateWindow: 1m\nresolution: 15s\nmetrics:\n  - name: x\n    query: up{track=\"{{track}}\"}\n", "o.yaml"));
        assertEquals("o.yaml: resolution: must be at least the rateWindow (60s): samples closer than their rate() window "
                + "share data and are not independent", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> AnalysisLoader.parse("metrics: [\n", "d.yaml"));
        assertTrue(e.getMessage().matches("d.yaml:\\d+: not valid YAML.*"), e.getMessage());
    }
}
