package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.FrontDoorServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * loadtest against an endpoint behind the proxy: the key from CHATBOTCTL_API_KEY on every request (the model lookup
 * over OkHttp and the streams over Netty), and the server view read from the environment's metricsUrl (the proxy's
 * metrics port), not from the endpoint's host.
 */
class LoadtestBehindTheProxyTest {
    @TempDir
    Path dir;

    private void config(FrontDoorServer server) throws Exception {
        Files.writeString(dir.resolve("chatbotctl.yaml"), """
                service: vllm-chatbot
                environments:
                  staging:
                    endpoint: %s
                    metricsUrl: %s
                """.formatted(server.baseUrl(), server.metricsUrl()));
    }

    @Test
    void everyRequestCarriesTheKeyAndMetricsComeFromTheMetricsPort() throws Exception {
        try (FrontDoorServer server = new FrontDoorServer("sk-staging")) {
            config(server);
            CliRunner.Result r = new CliRunner().workingDir(dir).env("CHATBOTCTL_API_KEY", "sk-staging")
                    .run("loadtest", "--env", "staging", "-c", "2", "--requests", "6", "--max-tokens", "4", "--out", "report.json");
            assertEquals(0, r.exitCode(), r.toString());

            List<FrontDoorServer.Seen> seen = server.apiRequests();
            assertTrue(seen.stream().anyMatch(s -> s.requestLine().equals("GET /v1/models")), seen.toString());
            // 6 measured streams after two untimed priming rounds of -c 2 (docs/loadtest.md)
            assertEquals(6 + 2 * 2, seen.stream().filter(s -> s.requestLine().equals("POST /v1/chat/completions")).count(), seen.toString());
            assertTrue(seen.stream().allMatch(s -> "Bearer sk-staging".equals(s.authorization())), seen.toString());

            JsonNode report = Json.mapper().readTree(dir.resolve("report.json").toFile());
            assertEquals(server.metricsUrl(), report.path("server").path("metricsUrl").asText(), report.toString());
            List<FrontDoorServer.Seen> scrapes = server.metricsRequests();
            assertFalse(scrapes.isEmpty());
            assertTrue(scrapes.stream().allMatch(s -> s.authorization() == null), "the API key never goes to the metrics port");
        }
    }

    @Test
    void withoutTheKeyTheRunFailsOnTheFirstRequest() throws Exception {
        try (FrontDoorServer server = new FrontDoorServer("sk-staging")) {
            config(server);
            CliRunner.Result r = new CliRunner().workingDir(dir).run("loadtest", "--env", "staging", "-c", "1", "--requests", "2");
            assertEquals(4, r.exitCode(), r.toString());
            assertTrue(r.err().contains("401"), r.err());
            assertTrue(server.apiRequests().stream().allMatch(s -> s.authorization() == null));
        }
    }

    @Test
    void anExplicitEndpointDoesNotTakeTheEnvironmentsMetricsUrl() throws Exception {
        try (FrontDoorServer server = new FrontDoorServer("k")) {
            config(server);
            CliRunner.Result r = new CliRunner().workingDir(dir).env("CHATBOTCTL_API_KEY", "k")
                    .run("loadtest", "--env", "staging", "--endpoint", server.baseUrl(), "-c", "1", "--requests", "2",
                            "--max-tokens", "4", "--out", "report.json");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(server.metricsRequests().isEmpty(), server.metricsRequests().toString());
            JsonNode report = Json.mapper().readTree(dir.resolve("report.json").toFile());
            assertNull(report.get("server"), "the endpoint's own /metrics answers 401 here: no server view");
        }
    }
}
