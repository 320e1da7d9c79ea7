package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rendered PrometheusRule passes promtool; the dashboard is JSON whose queries are valid PromQL. */
class MonitoringManifestsTest {

    private static RenderedManifests production() {
        return ManifestRenderer.render(Repository.file("manifests/overlays/production"), RenderOptions.none());
    }

    @Test
    void prometheusRulePassesPromtool(@TempDir Path dir) throws Exception {
        ObjectNode rule = production().find("PrometheusRule", "vllm-chatbot-alerts").orElseThrow();
        Path file = dir.resolve("rules.yaml");
        ObjectNode groups = Json.mapper().createObjectNode();
        groups.set("groups", rule.path("spec").path("groups"));
        Files.writeString(file, ManifestYaml.write(List.of(groups)));
        String out = promtool("check", "rules", file.toString());
        assertTrue(out.contains("SUCCESS: 8 rules found"), out);
    }

    /** promtool test rules: the alerts fire on the series vLLM (and chatbotctl sim) export, and stay quiet without cause. */
    @Test
    void alertsFireOnVllmSeries(@TempDir Path dir) throws Exception {
        ObjectNode rule = production().find("PrometheusRule", "vllm-chatbot-alerts").orElseThrow();
        ObjectNode groups = Json.mapper().createObjectNode();
        groups.set("groups", rule.path("spec").path("groups"));
        Files.writeString(dir.resolve("rules.yaml"), ManifestYaml.write(List.of(groups)));
        String common = "namespace=\"ai-serving\", track=\"stable\", pod=\"vllm-chatbot-1\"";
        Files.writeString(dir.resolve("test.yaml"), """
                rule_files: [rules.yaml]
                evaluation_interval: 1m
                tests:
                - interval: 1m
                  input_series:
                  - series: 'http_requests_total{handler="/v1/chat/completions", method="POST", status="2xx", %1$s}'
                    values: '0+90x20'
                  - series: 'http_requests_total{handler="/v1/chat/completions", method="POST", status="5xx", %1$s}'
                    values: '0+10x20'
                  - series: 'vllm:kv_cache_usage_perc{%1$s}'
                    values: '0.95x20'
                  - series: 'vllm:num_requests_waiting{%1$s}'
                    values: '3x20'
                  alert_rule_test:
                  - eval_time: 15m
                    alertname: VllmHighErrorRate
                    exp_alerts:
                    - exp_labels: {severity: critical, track: stable}
                      exp_annotations:
                        summary: "10%% of chat requests fail with a 5xx status"
                        runbook: "chatbotctl runbook pod-failure"
                  - eval_time: 15m
                    alertname: VllmKvCachePressure
                    exp_alerts:
                    - exp_labels: {severity: warning, pod: vllm-chatbot-1}
                      exp_annotations:
                        summary: "KV cache of vllm-chatbot-1 is 95%% full; requests get preempted"
                        runbook: "chatbotctl runbook high-latency"
                  - eval_time: 15m
                    alertname: VllmQueueBacklog
                    exp_alerts: []
                """.formatted(common));
        String out = promtool("test", "rules", dir.resolve("test.yaml").toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void errorRateComesFromHttpStatusCounts() {
        String rules = production().find("PrometheusRule", "vllm-chatbot-alerts").orElseThrow().toString();
        assertTrue(rules.contains("http_requests_total") && rules.contains("status=~\\\"5..\\\""), rules);
        assertFalse(rules.contains("request_failure"), "vLLM has no vllm:request_failure_total");
    }

    @Test
    void dashboardIsJsonWithValidQueries(@TempDir Path dir) throws Exception {
        ObjectNode dashboard = production().ofKind("ConfigMap").stream()
                .filter(c -> KubeObjects.name(c).startsWith("vllm-chatbot-dashboard-")).findFirst().orElseThrow();
        assertEquals("1", dashboard.path("metadata").path("labels").path("grafana_dashboard").asText());
        JsonNode json = Json.mapper().readTree(dashboard.path("data").path("vllm-chatbot.json").asText());
        assertEquals("vllm-chatbot", json.path("uid").asText());
        List<String> exprs = new ArrayList<>();
        json.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        assertTrue(exprs.size() >= 6, "panels with queries: " + exprs);
        io.chatbotctl.testing.Promtool.checkExpressions(dir, exprs);
    }

    @Test
    void serviceMonitorCarriesTheTrackLabel() {
        ObjectNode monitor = production().find("ServiceMonitor", "vllm-chatbot").orElseThrow();
        assertTrue(monitor.toString().contains("\"targetLabel\":\"track\""), monitor.toString());
    }

    static String promtool(String... args) throws Exception {
        return io.chatbotctl.testing.Promtool.run(args);
    }
}
