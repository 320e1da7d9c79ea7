package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.core.vllm.VllmCatalog;
import io.chatbotctl.testing.Promtool;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every PromQL expression the project ships outside Java code — PrometheusRule and dashboard of both overlays, the
 * KEDA component's trigger, the prometheus-adapter rule's queries, the canary's default analysis — selects only
 * series of the pinned vLLM's catalog (or recording rules) with labels they carry, and parses with promtool.
 * (The runbooks' queries, which live in Java, are checked by io.chatbotctl.runbook.RunbookPromqlTest.)
 */
class ShippedPromqlTest {

    /** Expression by where it comes from, as written (templates not filled in). */
    static Map<String, String> shipped(Path tmp) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String overlay : List.of("production", "staging")) {
            RenderedManifests m = ManifestRenderer.render(Repository.file("manifests/overlays/" + overlay), RenderOptions.none());
            CatalogChecks.expressions(m).forEach((object, exprs) -> {
                for (int i = 0; i < exprs.size(); i++) {
                    out.put(overlay + " " + KubeObjects.describe(object) + " #" + i, exprs.get(i));
                }
            });
        }
        Path overlay = Repository.file("manifests/overlays/production");
        Path keda = Repository.file("manifests/components/keda");
        Files.writeString(tmp.resolve("kustomization.yaml"), "resources:\n- " + tmp.relativize(overlay)
                + "\ncomponents:\n- " + tmp.relativize(keda) + "\n");
        ManifestRenderer.render(tmp, RenderOptions.none()).ofKind("ScaledObject").forEach(so ->
                so.path("spec").path("triggers").forEach(t -> out.put("components/keda " + KubeObjects.describe(so),
                        t.path("metadata").path("query").asText())));
        AdapterRules adapter = AdapterRules.read(Repository.file("manifests/" + AdapterRules.VALUES));
        for (AdapterRules.Rule rule : adapter.rules()) {
            out.put(AdapterRules.VALUES + " " + rule.exposedAs() + " seriesQuery", rule.seriesQuery());
            out.put(AdapterRules.VALUES + " " + rule.exposedAs() + " metricsQuery",
                    rule.query("ai-serving", List.of("vllm-chatbot-a", "vllm-chatbot-b")));
        }
        JsonNode analysis = Json.yaml().readTree(Repository.file("cli/src/main/resources/io/chatbotctl/canary/analysis.yaml").toFile());
        for (JsonNode metric : analysis.path("metrics")) {
            out.put("canary analysis.yaml " + metric.path("name").asText(), metric.path("query").asText());
        }
        return out;
    }

    /** The checker as lint builds it for the production overlay. */
    static PromqlLint productionLint() {
        RenderedManifests production = ManifestRenderer.render(Repository.file("manifests/overlays/production"), RenderOptions.none());
        return new PromqlLint(VllmCatalog.pinned(), CatalogChecks.recordingRules(production), CatalogChecks.scrapeLabels(production));
    }

    @Test
    void everyShippedExpressionSelectsSeriesOfThePinnedVllm(@TempDir Path tmp) throws Exception {
        Map<String, String> shipped = shipped(tmp);
        assertTrue(shipped.size() >= 30, "expressions found: " + shipped.keySet());
        assertTrue(shipped.keySet().stream().anyMatch(k -> k.startsWith("canary")), shipped.keySet().toString());
        assertTrue(shipped.keySet().stream().anyMatch(k -> k.startsWith("components/keda")), shipped.keySet().toString());
        PromqlLint lint = productionLint();
        List<String> problems = new ArrayList<>();
        shipped.forEach((where, expr) -> {
            PromqlLint.Result r = lint.check(PromqlLint.instantiate(expr));
            r.errors().forEach(e -> problems.add(where + ": " + e));
            r.warnings().forEach(w -> problems.add(where + " (warning): " + w));
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void promtoolParsesEveryShippedExpression(@TempDir Path tmp) throws Exception {
        List<String> exprs = shipped(tmp).values().stream().map(PromqlLint::instantiate).toList();
        Promtool.checkExpressions(tmp, exprs);
    }

    @Test
    void selectorsOfTrickyExpressions() {
        List<PromqlSelectors.Selector> s = PromqlSelectors.of(
                "sum by (le, track) (rate(vllm:x_bucket{a=\"1\", b=~\"x,y}\"}[5m] offset 1m)) / on (track) group_left(pod)"
                        + " clamp_min(count without (engine) (up), 1e-9) or vector(0) # up{c=\"d\"}\n"
                        + " + {__name__=\"foo\", k!=\"v\"} and max(bar[1h:5m]) > bool 2");
        assertEquals(List.of("vllm:x_bucket", "up", "foo", "bar"), s.stream().map(PromqlSelectors.Selector::metric).toList());
        assertEquals(List.of(new PromqlSelectors.Matcher("a", "=", "1"), new PromqlSelectors.Matcher("b", "=~", "x,y}")),
                s.get(0).matchers());
        assertEquals("k", s.get(2).matchers().get(1).label());
    }

    @Test
    void unknownSeriesAndLabelsAreReported() {
        PromqlLint lint = productionLint();
        assertTrue(lint.check("rate(vllm:request_failure_total[5m])").errors().get(0)
                .startsWith("vllm:request_failure_total is not served by vLLM 0.12.0"));
        assertTrue(lint.check("vllm:num_requests_waiting{handler=\"x\"}").errors().get(0)
                .contains("has no label handler"));
        assertEquals(List.of(), lint.check("sum(vllm:num_requests_waiting{track=\"stable\",namespace=\"ai-serving\",engine=\"0\"})").errors());
        assertTrue(lint.check("vllm:time_per_output_token_seconds_bucket").warnings().get(0)
                .contains("only with --show-hidden-metrics-for-version=0.11"));
        assertEquals(List.of(), lint.check("vllm:ttft_seconds:p95_5m{track=\"stable\"}").errors(), "a recording rule");
    }
}
