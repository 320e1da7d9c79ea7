package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.prometheus.PrometheusClient;
import io.chatbotctl.prometheus.Sample;
import io.chatbotctl.core.Json;
import io.chatbotctl.prometheus.LocalPrometheus;
import io.chatbotctl.testing.RealParts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real Prometheus scrapes /metrics without errors, and the series add up to the requests sent. */
class PrometheusScrapeTest {

    @Test
    void prometheusScrapesAndCountersEqualTheKnownRequests() throws Exception {
        try (Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).build());
             LocalPrometheus prom = LocalPrometheus.start(List.of(
                     new LocalPrometheus.Target(sim.target(), Map.of("track", "stable"))))) {
            int requests = 0;
            int chat = 0;
            long promptTokens = 0;
            long outputTokens = 0;
            long gaps = 0;
            for (int i = 0; i < 24; i++) {
                boolean stream = i % 2 == 0;
                boolean isChat = i % 3 != 0;
                int maxTokens = 3 + i;
                String body = isChat ? SimHttp.chat("question " + i, maxTokens, stream)
                        : "{\"prompt\":\"question " + i + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
                String url = sim.baseUrl() + (isChat ? "/chat/completions" : "/completions");
                JsonNode usage;
                if (stream) {
                    List<SimHttp.Event> events = SimHttp.stream(url, body).events();
                    usage = Json.mapper().readTree(events.get(events.size() - 2).data()).get("usage");
                } else {
                    usage = Json.mapper().readTree(SimHttp.post(url, body).body()).get("usage");
                }
                requests++;
                chat += isChat ? 1 : 0;
                promptTokens += usage.get("prompt_tokens").asLong();
                outputTokens += usage.get("completion_tokens").asLong();
                gaps += usage.get("completion_tokens").asLong() - 1;
                assertEquals(maxTokens, usage.get("completion_tokens").asInt());
            }
            prom.awaitTargetsUp(Duration.ofSeconds(30));
            prom.awaitFreshScrapes();

            JsonNode targets = Json.mapper().readTree(prom.get("/api/v1/targets")).at("/data/activeTargets/0");
            assertEquals("up", targets.get("health").asText(), targets.toString());
            assertEquals("", targets.get("lastError").asText(), "scrape error: " + targets);

            PrometheusClient client = new PrometheusClient(prom.url(), Duration.ofSeconds(5));
            assertEquals(1.0, value(client, "up"));
            assertEquals(requests, value(client, "sum(vllm:request_success_total{finished_reason=\"length\"})"));
            assertEquals(0.0, value(client, "sum(vllm:request_success_total{finished_reason=~\"stop|abort\"})"));
            assertEquals(promptTokens, value(client, "vllm:prompt_tokens_total"));
            assertEquals(outputTokens, value(client, "vllm:generation_tokens_total"));
            for (String histogram : List.of("vllm:time_to_first_token_seconds", "vllm:e2e_request_latency_seconds",
                    "vllm:request_queue_time_seconds", "vllm:request_prefill_time_seconds",
                    "vllm:request_decode_time_seconds", "vllm:request_time_per_output_token_seconds",
                    "vllm:request_prompt_tokens", "vllm:request_generation_tokens")) {
                assertEquals(requests, value(client, histogram + "_count"), histogram + "_count");
                assertEquals(requests, value(client, histogram + "_bucket{le=\"+Inf\"}"), histogram + " +Inf bucket");
            }
            assertEquals(promptTokens, value(client, "vllm:request_prompt_tokens_sum"));
            assertEquals(outputTokens, value(client, "vllm:request_generation_tokens_sum"));
            assertEquals(gaps, value(client, "vllm:inter_token_latency_seconds_count"));
            assertEquals(chat, value(client,
                    "http_requests_total{handler=\"/v1/chat/completions\",method=\"POST\",status=\"2xx\"}"));
            assertEquals(requests - chat, value(client,
                    "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"2xx\"}"));
            assertEquals(List.of(), client.query("http_requests_total{handler=\"/metrics\"}", Instant.now()),
                    "like vLLM, scrapes are not counted");
            assertEquals(0.0, value(client, "vllm:num_requests_running"));
            assertEquals(0.0, value(client, "vllm:num_requests_waiting"));
            assertEquals(0.0, value(client, "vllm:kv_cache_usage_perc"));
            assertEquals("stable", client.query("vllm:generation_tokens_total", Instant.now()).get(0).labels().get("track"));
            assertEquals(SimConfig.DEFAULT_MODEL,
                    client.query("vllm:generation_tokens_total", Instant.now()).get(0).labels().get("model_name"));
        }
    }

    @Test
    void promtoolFindsNothingButTheColonLint() throws Exception {
        var promtool = RealParts.require("/usr/bin/promtool", "apt-get install -y prometheus");
        try (Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).build())) {
            SimHttp.stream(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 4, true));
            SimHttp.post(sim.baseUrl() + "/chat/completions", "{broken");
            String metrics = SimHttp.get(sim.metricsUrl()).body();
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
            p.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            long vllmFamilies = metrics.lines().filter(l -> l.startsWith("# TYPE vllm:")).count();
            // vLLM's own name: a histogram called vllm:iteration_tokens_total (vllm/catalog-0.12.0.yaml)
            String histogramTotal = "vllm:iteration_tokens_total non-counter metrics should not have \"_total\" suffix";
            assertEquals(vllmFamilies + 1, lines.size(), "one lint line per vllm: family, and vLLM's _total histogram:\n" + out);
            for (String line : lines) {
                assertTrue(line.equals(histogramTotal)
                                || (line.startsWith("vllm:") && line.endsWith("metric names should not contain ':'")),
                        "unexpected promtool finding: " + line);
            }
            for (String family : metrics.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList()) {
                assertTrue(metrics.contains("# HELP " + family + " "), "no HELP for " + family);
            }
        }
    }

    static double value(PrometheusClient client, String promql) {
        List<Sample> samples = client.query(promql, Instant.now());
        assertEquals(1, samples.size(), promql + " -> " + samples);
        return samples.get(0).value();
    }
}
