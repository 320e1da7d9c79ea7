package io.chatbotctl.loadtest;

import io.chatbotctl.core.vllm.VllmCatalog;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The series the load test reads from vLLM's /metrics are series of the pinned vLLM, with the types it assumes. */
class ServerMetricsCatalogTest {

    @Test
    void namesAreSeriesOfThePinnedVllm() {
        VllmCatalog catalog = VllmCatalog.pinned();
        Map<String, String> expected = Map.of(ServerMetrics.TTFT, "histogram", ServerMetrics.QUEUE, "histogram",
                ServerMetrics.E2E, "histogram", ServerMetrics.WAITING, "gauge", ServerMetrics.RUNNING, "gauge");
        expected.forEach((name, type) -> assertEquals(type, catalog.metric(name)
                .filter(m -> m.unconditional()).map(m -> m.type()).orElse("not in vllm/catalog-" + catalog.version() + ".yaml"), name));
    }
}
