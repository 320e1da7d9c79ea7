package io.chatbotctl.runbook;

import io.chatbotctl.core.vllm.VllmCatalog;
import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.PromqlLint;
import io.chatbotctl.manifest.RenderOptions;
import io.chatbotctl.manifest.RenderedManifests;
import io.chatbotctl.testing.Promtool;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The runbooks' PromQL (in LatencyCheck and Shows) selects series of the pinned vLLM, with labels they carry. */
class RunbookPromqlTest {
    /** The selector runbooks/high-latency.yaml passes, with the namespace filled in. */
    private static final String SELECTOR = "namespace=\"ai-serving\"";

    static List<String> queries() {
        return List.of(String.format(LatencyCheck.WAITING, SELECTOR), String.format(LatencyCheck.RUNNING, SELECTOR),
                String.format(LatencyCheck.KV_CACHE, SELECTOR), String.format(LatencyCheck.TTFT_P99, SELECTOR, "5m"),
                "sort_desc(sum by (handler, status) (rate(http_requests_total{" + SELECTOR + "}[5m])))");
    }

    @Test
    void runbookQueriesSelectCatalogSeries(@TempDir Path tmp) throws Exception {
        RenderedManifests production = ManifestRenderer.render(Repository.file("manifests/overlays/production"), RenderOptions.none());
        PromqlLint lint = new PromqlLint(VllmCatalog.pinned(), Set.of(),
                new java.util.TreeSet<>(PromqlLint.OPERATOR_LABELS));
        List<String> problems = new ArrayList<>();
        for (String q : queries()) {
            PromqlLint.Result r = lint.check(q);
            r.errors().forEach(e -> problems.add(q + ": " + e));
            r.warnings().forEach(w -> problems.add(q + ": " + w));
        }
        assertEquals(List.of(), problems);
        assertEquals(true, production.find("ServiceMonitor", "vllm-chatbot").isPresent(), "the labels come from its scrape");
        Promtool.checkExpressions(tmp, queries());
    }
}
