package io.chatbotctl.runbook;

import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.prometheus.LocalPrometheus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * high-latency against a long waiting queue: our simulator with 2 slots and 12 long requests in flight, scraped by
 * the real Prometheus; the HPA and Deployment in the mock API server.
 */
class HighLatencyRunbookTest {
    static final int SLOTS = 2;
    static final int IN_FLIGHT = 12;

    static Simulator sim;
    static LocalPrometheus prometheus;
    static HttpClient http;
    static final List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();

    @TempDir
    Path dir;
    KubeMock kube;

    /**
     * First a burst of short requests that wait behind each other (TTFT P99 above 2 s), then long ones that keep
     * {@code IN_FLIGHT - SLOTS} requests waiting; Prometheus scrapes throughout, so rate() sees both.
     */
    @BeforeAll
    static void longWaitingQueue() throws Exception {
        sim = Simulator.start(SimConfig.builder().port(0).maxNumSeqs(SLOTS).itl(Duration.ofMillis(100))
                .prefillPer1kTokens(Duration.ZERO).outputTokens(2000).build());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        prometheus = LocalPrometheus.start(List.of(new LocalPrometheus.Target(sim.target(),
                Map.of("namespace", "ai-serving", "pod", "vllm-chatbot-0"))));
        prometheus.awaitTargetsUp(Duration.ofSeconds(30));

        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 3 * SLOTS; i++) {
            burst.add(send(15));
        }
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get();
        for (int i = 0; i < IN_FLIGHT; i++) {
            requests.add(send(2000));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sim.waitingRequests() < IN_FLIGHT - SLOTS && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(IN_FLIGHT - SLOTS, sim.waitingRequests(), "simulator queue");
        prometheus.awaitFreshScrapes();
    }

    /** A chat completion of {@code tokens} tokens at 100 ms each. */
    static CompletableFuture<HttpResponse<String>> send(int tokens) {
        String body = "{\"model\":\"" + SimConfig.DEFAULT_MODEL + "\",\"max_tokens\":" + tokens + ","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Where is my order?\"}]}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    static void stopAll() throws Exception {
        requests.forEach(r -> r.cancel(true));
        if (prometheus != null) {
            prometheus.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @BeforeEach
    void service() {
        kube = new KubeMock(dir);
        Fixtures.service(kube.client, 2, "0.90");
        Fixtures.hpa(kube.client, 2, 4, 2);
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    CliRunner cli() {
        return kube.cli().workingDir(dir);
    }

    int replicas() {
        return kube.client.apps().deployments().inNamespace("ai-serving").withName("vllm-chatbot").get().getSpec().getReplicas();
    }

    int hpaMin() {
        return kube.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("ai-serving").withName("vllm-chatbot-hpa")
                .get().getSpec().getMinReplicas();
    }

    @Test
    void yesScalesToTheHpaMaximumAndPinsIt() throws Exception {
        CliRunner.Result r = cli().run("runbook", "high-latency", "--yes", "--prometheus", prometheus.url(),
                "--transcript", "latency.md");

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("✗ queue-backlog prometheus/vllm:num_requests_waiting: 10 requests waiting"), r.toString());
        assertTrue(r.err().contains("· load prometheus/" + prometheus.url()), r.toString());
        assertTrue(r.err().contains("waiting 10, running 2"), r.toString());
        assertTrue(r.err().contains("✗ ttft-high prometheus/vllm:time_to_first_token_seconds: TTFT P99 "), r.toString());
        assertTrue(r.err().contains("· hpa-headroom hpa/vllm-chatbot-hpa: replicas 2 (desired 2), bounds 2..4"), r.toString());
        assertTrue(r.err().contains("scale deployment vllm-chatbot from 2 to 4 replicas (the HPA maximum)"), r.toString());
        assertTrue(r.err().contains("/v1/chat/completions"), "traffic by handler: " + r);
        assertEquals(4, replicas());
        assertEquals(4, hpaMin());
        String md = Files.readString(dir.resolve("latency.md"));
        assertTrue(md.contains("`queue-backlog`"), md);
        assertTrue(md.contains("kubectl -n ai-serving scale deployment/vllm-chatbot --replicas=4"), md);
    }

    @Test
    void dryRunAndNoChangeNothing() {
        int before = kube.writes().size();
        CliRunner.Result dry = cli().run("runbook", "high-latency", "--dry-run", "--prometheus", prometheus.url());
        assertEquals(1, dry.exitCode(), dry.toString());
        assertTrue(dry.err().contains("scale deployment vllm-chatbot from 2 to 4 replicas"), dry.toString());

        CliRunner.Result no = cli().stdin("n\nn\n").interactive(true).run("runbook", "high-latency", "--prometheus", prometheus.url());
        assertEquals(1, no.exitCode(), no.toString());
        assertEquals(2, no.err().split("\\[y/N]", -1).length - 1, "two questions: scale and pin: " + no);
        assertEquals(before, kube.writes().size(), kube.writes().toString());
        assertEquals(2, replicas());
        assertEquals(2, hpaMin());
    }

    @Test
    void atTheHpaMaximumItSaysSoAndDoesNotScaleBeyond() {
        kube.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("ai-serving").withName("vllm-chatbot-hpa")
                .edit(h -> { h.getStatus().setCurrentReplicas(4); h.getSpec().setMinReplicas(4); return h; });
        kube.client.apps().deployments().inNamespace("ai-serving").withName("vllm-chatbot")
                .edit(d -> { d.getSpec().setReplicas(4); return d; });

        CliRunner.Result r = cli().run("runbook", "high-latency", "--yes", "--prometheus", prometheus.url());

        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("hpa-at-max"), r.toString());
        assertTrue(r.err().contains("The HPA is already at its maximum"), r.toString());
        assertEquals(4, replicas());
    }

    @Test
    void unreachablePrometheusIsExit4AndNoPrometheusIsExit3() throws Exception {
        CliRunner.Result down = cli().run("runbook", "high-latency", "--prometheus", "http://127.0.0.1:9");
        assertEquals(4, down.exitCode(), down.toString());
        assertTrue(down.err().contains("chatbotctl: error: cannot reach Prometheus"), down.toString());

        CliRunner.Result none = cli().run("runbook", "high-latency");
        assertEquals(3, none.exitCode(), none.toString());
        assertTrue(none.err().contains("hint: pass --prometheus"), none.toString());
    }
}
