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
        assertTrue(out.contains("SUCCESS: 10 rules found"), out);
    }

    /**
     * Runs {@code promtool test rules} on the rendered rule groups with {@code tests} (the list under {@code tests:},
     * {@code %1$s} standing for a stable pod's labels); passes when every test case does.
     */
    private static void promtoolTestRules(Path dir, String tests) throws Exception {
        ObjectNode rule = production().find("PrometheusRule", "vllm-chatbot-alerts").orElseThrow();
        ObjectNode groups = Json.mapper().createObjectNode();
        groups.set("groups", rule.path("spec").path("groups"));
        Files.writeString(dir.resolve("rules.yaml"), ManifestYaml.write(List.of(groups)));
        String common = "namespace=\"ai-serving\", track=\"stable\", pod=\"vllm-chatbot-1\"";
        Files.writeString(dir.resolve("test.yaml"), "rule_files: [rules.yaml]\nevaluation_interval: 1m\ntests:\n"
                + tests.formatted(common));
        String out = promtool("test", "rules", dir.resolve("test.yaml").toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    /**
     * promtool test rules: the alerts fire on the series vLLM (and chatbotctl sim) and the proxy sidecar export, and
     * stay quiet without cause. The error rate is what clients got, counted by the proxy: vLLM's own 5xx (passed
     * through, so in both kinds of series) once, the proxy's own 502s too, its 429s in the total, and neither probes
     * nor keyless requests.
     */
    @Test
    void alertsFireOnVllmAndProxySeries(@TempDir Path dir) throws Exception {
        promtoolTestRules(dir, """
                - interval: 1m
                  input_series:
                  # vLLM: what the proxy forwarded (100 a minute, 10 of them failed)
                  - series: 'http_requests_total{handler="/v1/chat/completions", method="POST", status="2xx", %1$s}'
                    values: '0+90x20'
                  - series: 'http_requests_total{handler="/v1/chat/completions", method="POST", status="5xx", %1$s}'
                    values: '0+10x20'
                  # the proxy: the same 100, 20 a minute it answered 502 itself (vLLM's connection dropped), 10 it
                  # refused with 429; kubelet's probes and keyless 401s carry no key
                  - series: 'chatbotctl_proxy_requests_total{key="web", status="200", error_type="", %1$s}'
                    values: '0+90x20'
                  - series: 'chatbotctl_proxy_requests_total{key="web", status="500", error_type="upstream_InternalServerError", %1$s}'
                    values: '0+10x20'
                  - series: 'chatbotctl_proxy_requests_total{key="web", status="502", error_type="bad_gateway", %1$s}'
                    values: '0+20x20'
                  - series: 'chatbotctl_proxy_requests_total{key="web", status="429", error_type="rate_limit_exceeded", %1$s}'
                    values: '0+10x20'
                  - series: 'chatbotctl_proxy_requests_total{key="", status="200", error_type="", %1$s}'
                    values: '0+60x20'
                  - series: 'chatbotctl_proxy_requests_total{key="", status="401", error_type="invalid_api_key", %1$s}'
                    values: '0+30x20'
                  - series: 'vllm:kv_cache_usage_perc{%1$s}'
                    values: '0.95x20'
                  - series: 'vllm:num_requests_waiting{%1$s}'
                    values: '3x20'
                  alert_rule_test:
                  # (10 + 20) / (90 + 10 + 20 + 10): not 10%% (vLLM alone), 17.39%% (both added), 13.64%% (keyless too)
                  - eval_time: 15m
                    alertname: VllmHighErrorRate
                    exp_alerts:
                    - exp_labels: {severity: critical, track: stable}
                      exp_annotations:
                        summary: "23.08%% of chat requests fail with a 5xx status"
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
                # vLLM answers all it gets, but the proxy answers 504 to 5 in 100: vLLM's series alone see nothing
                - interval: 1m
                  input_series:
                  - series: 'http_requests_total{handler="/v1/chat/completions", method="POST", status="2xx", %1$s}'
                    values: '0+95x20'
                  - series: 'chatbotctl_proxy_requests_total{key="web", status="200", error_type="", %1$s}'
                    values: '0+95x20'
                  - series: 'chatbotctl_proxy_requests_total{key="web", status="504", error_type="upstream_timeout", %1$s}'
                    values: '0+5x20'
                  alert_rule_test:
                  - eval_time: 3m
                    alertname: VllmHighErrorRate
                    exp_alerts: []
                  - eval_time: 10m
                    alertname: VllmHighErrorRate
                    exp_alerts:
                    - exp_labels: {severity: critical, track: stable}
                      exp_annotations:
                        summary: "5%% of chat requests fail with a 5xx status"
                        runbook: "chatbotctl runbook pod-failure"
                # a pod whose vLLM is still loading: /ready answers 503 to every probe; no client request failed
                - interval: 1m
                  input_series:
                  - series: 'chatbotctl_proxy_requests_total{key="", status="503", error_type="upstream_not_ready", %1$s}'
                    values: '0+12x20'
                  - series: 'chatbotctl_proxy_requests_total{key="web", status="200", error_type="", %1$s}'
                    values: '0+1x20'
                  alert_rule_test:
                  - eval_time: 15m
                    alertname: VllmHighErrorRate
                    exp_alerts: []
                """);
    }

    /**
     * promtool test rules: a key refused 429 on more than 5%% of its requests for 15 minutes raises a warning naming
     * the key and the limit; a key refused now and then does not, nor does a burst shorter than 15 minutes.
     */
    @Test
    void aKeyThatKeepsHittingItsLimitRaisesAWarning(@TempDir Path dir) throws Exception {
        promtoolTestRules(dir, """
                - interval: 1m
                  input_series:
                  # web: 100 a minute, 20 refused on requests per minute (two replicas, both counting)
                  - series: 'chatbotctl_proxy_requests_total{key="web", status="200", error_type="", %1$s}'
                    values: '0+80x40'
                  - series: 'chatbotctl_proxy_requests_total{key="web", status="429", error_type="rate_limit_exceeded", %1$s}'
                    values: '0+20x40'
                  - series: 'chatbotctl_proxy_limited_total{key="web", limit="requests", %1$s}'
                    values: '0+12x40'
                  - series: 'chatbotctl_proxy_limited_total{key="web", limit="requests", namespace="ai-serving", track="stable", pod="vllm-chatbot-2"}'
                    values: '0+8x40'
                  # batch: 100 a minute, 1 refused on tokens per minute
                  - series: 'chatbotctl_proxy_requests_total{key="batch", status="200", error_type="", %1$s}'
                    values: '0+99x40'
                  - series: 'chatbotctl_proxy_requests_total{key="batch", status="429", error_type="rate_limit_exceeded", %1$s}'
                    values: '0+1x40'
                  - series: 'chatbotctl_proxy_limited_total{key="batch", limit="tokens", %1$s}'
                    values: '0+1x40'
                  alert_rule_test:
                  - eval_time: 10m
                    alertname: ChatbotKeyRateLimited
                    exp_alerts: []
                  - eval_time: 25m
                    alertname: ChatbotKeyRateLimited
                    exp_alerts:
                    - exp_labels: {severity: warning, key: web, limit: requests}
                      exp_annotations:
                        summary: "20%% of key web's requests are refused by its requests limit (429)"
                        runbook: "docs/proxy.md#alerts"
                """);
    }

    @Test
    void errorRateComesFromHttpStatusCountsWhereClientsAreAnswered() {
        String rules = production().find("PrometheusRule", "vllm-chatbot-alerts").orElseThrow().toString();
        assertTrue(rules.contains("chatbotctl_proxy_requests_total") && rules.contains("status=~\\\"5..\\\""), rules);
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
