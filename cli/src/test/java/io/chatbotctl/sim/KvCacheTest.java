package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KV-cache usage follows the running tokens; overflowing it preempts, and preempted streams still finish intact. */
class KvCacheTest {

    @Test
    void overflowPreemptsAndEveryStreamStillCompletes() throws Exception {
        int capacity = 300;
        int maxTokens = 200;
        try (Simulator sim = Simulator.start(SimConfig.builder().port(0).maxModelLen(256).kvCapacityTokens(capacity)
                .maxNumSeqs(8).itl(Duration.ofMillis(3)).prefillPer1kTokens(Duration.ofMillis(50)).build())) {
            AtomicReference<Double> maxUsage = new AtomicReference<>(0.0);
            Thread watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    maxUsage.accumulateAndGet(gauge(sim.metricsText(), "vllm:kv_cache_usage_perc"), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.start();
            List<CompletableFuture<SimHttp.Stream>> streams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                streams.add(SimHttp.streamAsync(SimHttp.CLIENT, sim.baseUrl() + "/chat/completions",
                        SimHttp.chat("Where is my order?", maxTokens, true)));
            }
            String expected = String.join("", cycle(Tokenizer.pieces(ResponseRules.ENGLISH), maxTokens));
            for (CompletableFuture<SimHttp.Stream> f : streams) {
                SimHttp.Stream s = f.get();
                assertEquals(null, s.error());
                StringBuilder text = new StringBuilder();
                for (SimHttp.Event e : s.events()) {
                    if (!e.data().equals("[DONE]")) {
                        text.append(Json.mapper().readTree(e.data()).at("/choices/0/delta/content").asText(""));
                    }
                }
                assertEquals(expected, text.toString(), "a preempted stream resumes where it stopped");
                JsonNode usage = Json.mapper().readTree(s.events().get(s.events().size() - 2).data()).get("usage");
                assertEquals(maxTokens, usage.get("completion_tokens").asInt());
            }
            watcher.interrupt();
            watcher.join();
            String metrics = sim.metricsText();
            double preemptions = gauge(metrics, "vllm:num_preemptions_total");
            assertTrue(preemptions > 0, "4 requests of ~211 tokens in a 300-token cache must preempt");
            assertEquals(preemptions, sim.requestLog().stream().mapToInt(RequestRecord::preemptions).sum());
            assertTrue(maxUsage.get() > 0.5 && maxUsage.get() <= 1.0, "KV usage peaked at " + maxUsage.get());
            assertEquals(0.0, gauge(metrics, "vllm:kv_cache_usage_perc"));
            assertFalse(metrics.contains("vllm:gpu_cache_usage_perc"), "vLLM 0.12 no longer serves the gpu_ name");
            assertEquals(4.0 * maxTokens, gauge(metrics, "vllm:generation_tokens_total"));
        }
    }

    @Test
    void kvUsageIsRunningTokensOverCapacity() throws Exception {
        try (Simulator sim = Simulator.start(SimConfig.builder().port(0).kvCapacityTokens(10_000)
                .itl(Duration.ofMillis(200)).prefillPer1kTokens(Duration.ZERO).build())) {
            CompletableFuture<SimHttp.Stream> s = SimHttp.streamAsync(SimHttp.CLIENT, sim.baseUrl() + "/completions",
                    "{\"prompt\":\"" + "word ".repeat(99) + "word\",\"max_tokens\":3,\"stream\":true}");
            Poll.until(() -> gauge(sim.metricsText(), "vllm:num_requests_running") == 1.0
                    && gauge(sim.metricsText(), "vllm:generation_tokens_total") >= 1);
            double usage = gauge(sim.metricsText(), "vllm:kv_cache_usage_perc");
            int prompt = Tokenizer.countPrompt("word ".repeat(99) + "word");
            assertTrue(usage >= Engine.blocks(prompt + 1) / 10_000.0 && usage <= Engine.blocks(prompt + 3) / 10_000.0,
                    "usage " + usage + " for a prompt of " + prompt + " tokens in blocks of 16");
            s.get();
        }
    }

    static List<String> cycle(List<String> pieces, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pieces.get(i % pieces.size()));
        }
        return out;
    }

    static double gauge(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name);
    }
}
