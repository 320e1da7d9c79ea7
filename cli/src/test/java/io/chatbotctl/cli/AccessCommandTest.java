package io.chatbotctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.prometheus.LocalPrometheus;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --access} end to end, in-process: loadtest and eval run reach a simulator behind the mock API server's
 * service proxy, the way a CI runner with only API access reaches the chatbot's ClusterIP Service.
 */
class AccessCommandTest {
    private static final String GATEWAY = "https://chatbot-staging.internal.example.com/v1";

    @TempDir
    static Path dir;
    static KubeMockCluster cluster;
    static Simulator sim;

    @BeforeAll
    static void start() throws Exception {
        cluster = KubeMockCluster.start(dir);
        sim = Simulator.start(SimConfig.builder().port(0).seed(3L).itl(Duration.ofMillis(1)).build());
        cluster.serveServiceProxy("ai-serving", "vllm-service", "http", URI.create("http://127.0.0.1:" + sim.port()));
        cluster.serveServiceProxy("ai-serving", "vllm-service", "8000", URI.create("http://127.0.0.1:" + sim.port()));
        Files.writeString(dir.resolve("chatbotctl.yaml"), """
                service: vllm-chatbot
                environments:
                  staging:
                    context: %s
                    namespace: ai-serving
                    endpoint: %s
                    access: api-server
                """.formatted(KubeMockCluster.CONTEXT, GATEWAY));
    }

    @AfterAll
    static void stop() {
        sim.close();
        cluster.close();
    }

    private static CliRunner cli() {
        return cluster.cli().workingDir(dir);
    }

    @Test
    void loadtestWithAccessApiServerReachesTheChatbotServiceAndSaysSo() throws Exception {
        CliRunner.Result r = cli().run("loadtest", "--access", "api-server", "--endpoint", GATEWAY, "--requests", "6",
                "-c", "2", "--max-tokens", "8", "--out", "report.json");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("reaching vllm-service.ai-serving:http through the API server " + cluster.url()), r.err());
        assertTrue(r.err().contains("extra hop"), r.err());
        JsonNode report = Json.mapper().readTree(dir.resolve("report.json").toFile());
        assertEquals("api-server", report.at("/configuration/access").asText());
        assertEquals(GATEWAY, report.at("/configuration/endpoint").asText());
        assertEquals(6, report.at("/results/succeeded").asLong(), report.toString());
    }

    @Test
    void autoRelaysServiceHostsAndLeavesOthersDirect() throws Exception {
        CliRunner.Result relayed = cli().run("loadtest", "--endpoint", "http://vllm-service.ai-serving.svc:8000/v1",
                "--requests", "2", "--max-tokens", "4", "--metrics-url", "none", "-o", "json");
        assertEquals(0, relayed.exitCode(), relayed.toString());
        assertTrue(relayed.err().contains("reaching vllm-service.ai-serving:8000 through the API server"), relayed.err());
        assertEquals("api-server", Json.mapper().readTree(relayed.out()).at("/configuration/access").asText());

        CliRunner.Result direct = cli().run("loadtest", "--endpoint", sim.baseUrl(), "--requests", "2", "--max-tokens", "4",
                "--metrics-url", "none", "-o", "json");
        assertEquals(0, direct.exitCode(), direct.toString());
        assertFalse(direct.err().contains("through the API server"), direct.err());
        assertEquals("direct", Json.mapper().readTree(direct.out()).at("/configuration/access").asText());
    }

    @Test
    void evalRunThroughTheEnvironmentsAccessKeyNamesTheConfiguredEndpoint() throws Exception {
        Path dataset = Repository.root().resolve("evals/datasets/support-en.jsonl");
        CliRunner.Result r = cli().run("eval", "run", "--env", "staging", "--dataset", dataset.toString(), "--no-cache",
                "--concurrency", "2", "--max-tokens", "16", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("reaching vllm-service.ai-serving:http through the API server"), r.err());
        JsonNode results = Json.mapper().readTree(r.out());
        assertEquals(GATEWAY, results.path("endpoint").asText(), "results name the configured endpoint, not the relay");
        assertTrue(results.path("cases").size() > 0, r.out());

        CliRunner.Result direct = cli().env("CHATBOTCTL_ACCESS", "direct").run("eval", "run", "--env", "staging",
                "--dataset", dataset.toString(), "--no-cache", "--retries", "0", "--timeout", "2s");
        assertEquals(4, direct.exitCode(), "CHATBOTCTL_ACCESS=direct wins over the file: the Gateway host is unreachable\n" + direct);
        assertFalse(direct.err().contains("through the API server"), direct.err());
    }

    @Test
    void canaryWatchAndRunbooksQueryAnInClusterPrometheusThroughTheApiServer() throws Exception {
        try (LocalPrometheus prometheus = LocalPrometheus.start(List.of())) {
            cluster.serveServiceProxy("monitoring", "prometheus-operated", "9090", URI.create(prometheus.url()));
            String url = "http://prometheus-operated.monitoring.svc:9090";
            Instant now = Instant.now();
            CliRunner.Result replay = cli().run("canary", "watch", "--prometheus", url, "--from", now.minusSeconds(600).toString(),
                    "--to", now.toString(), "--interval", "5m", "--steps", "50", "-o", "json");
            assertTrue(replay.err().contains("reaching prometheus-operated.monitoring:9090 through the API server"), replay.toString());
            assertTrue(replay.exitCode() != 4 && Json.mapper().readTree(replay.out()).has("intervals"), replay.toString());

            CliRunner.Result runbook = cli().run("runbook", "high-latency", "--prometheus", url, "--dry-run");
            assertTrue(runbook.err().contains("reaching prometheus-operated.monitoring:9090 through the API server"), runbook.toString());
            assertTrue(runbook.exitCode() == 0 || runbook.exitCode() == 1, runbook.toString());

            CliRunner.Result direct = cli().run("runbook", "high-latency", "--prometheus", prometheus.url(), "--dry-run",
                    "--access", "api-server");
            assertEquals(3, direct.exitCode(), "api-server mode with a Prometheus URL naming no Service\n" + direct);
            assertTrue(direct.err().contains("names no Service (NAME.NAMESPACE.svc)"), direct.err());
        }
    }

    @Test
    void refusalsAndAnUnreachableApiServerAreExit4OnOneLine() throws Exception {
        cluster.denyServiceProxy("locked");
        CliRunner.Result forbidden = cli().run("eval", "run", "--endpoint", "http://vllm-service.locked.svc:8000/v1",
                "--dataset", Repository.root().resolve("evals/datasets/support-en.jsonl").toString(), "--no-cache");
        assertEquals(4, forbidden.exitCode(), forbidden.toString());
        assertTrue(forbidden.err().startsWith("chatbotctl: error: the API server refused to relay to Service vllm-service.locked:8000 (HTTP 403)"),
                forbidden.err());
        assertTrue(forbidden.err().contains("hint: reaching it through the API server needs get and create on services/proxy in namespace locked"),
                forbidden.err());
        assertEquals(2, forbidden.err().lines().count(), "one error line and its hint: " + forbidden.err());

        cluster.serveServiceProxy("ai-serving", "vllm-service-canary", "8000", null);
        CliRunner.Result noEndpoints = cli().run("loadtest", "--endpoint", "http://vllm-service-canary.ai-serving.svc:8000/v1",
                "--requests", "1", "--access", "auto");
        assertEquals(4, noEndpoints.exitCode(), noEndpoints.toString());
        assertTrue(noEndpoints.err().startsWith("chatbotctl: error: Service vllm-service-canary.ai-serving:8000 cannot be reached"
                + " through the API server (HTTP 503): no endpoints available for service \"vllm-service-canary\""), noEndpoints.err());
        assertFalse(noEndpoints.err().contains("\tat "), noEndpoints.err());

        Path closed = KubeMockCluster.writeKubeconfig(dir.resolve("closed.yaml"), "http://127.0.0.1:" + FreePorts.next(),
                KubeMockCluster.CONTEXT, "ai-serving");
        CliRunner.Result unreachable = new CliRunner().workingDir(dir).env("KUBECONFIG", closed.toString())
                .run("loadtest", "--endpoint", "http://vllm-service.ai-serving.svc:8000/v1", "--requests", "1");
        assertEquals(4, unreachable.exitCode(), unreachable.toString());
        assertTrue(unreachable.err().startsWith("chatbotctl: error: cannot reach the Kubernetes API server http://127.0.0.1:"), unreachable.err());
        assertTrue(unreachable.err().contains("to relay to Service vllm-service.ai-serving:8000: connection refused"), unreachable.err());
        assertEquals(2, unreachable.err().lines().count(), unreachable.err());

        CliRunner.Result bad = cli().run("loadtest", "--access", "tunnel", "--endpoint", sim.baseUrl());
        assertEquals(3, bad.exitCode(), bad.toString());
        assertTrue(bad.err().startsWith("chatbotctl: error: --access: 'tunnel' is not one of auto, direct, api-server"), bad.err());
    }
}
