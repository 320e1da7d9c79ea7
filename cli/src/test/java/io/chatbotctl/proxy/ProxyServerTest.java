package io.chatbotctl.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.sim.RequestRecord;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy in front of the real simulator: keys, policy, exact tokens, streams, upstream failures, metrics. */
class ProxyServerTest {
    static Simulator sim;
    static Path dir;
    static String key;
    static String revokedKey;
    static ProxyFixture fx = new ProxyFixture();
    static ProxyServer proxy;

    @BeforeAll
    static void start(@TempDir Path tmp) {
        dir = tmp;
        sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).itl(Duration.ofMillis(2))
                .seed(7L).build());
        Path keys = tmp.resolve("keys.yaml");
        key = Keys.create(keys, "web", 0, 0, 0).key();
        revokedKey = Keys.create(keys, "old", 0, 0, 0).key();
        Keys.revoke(keys, "old");
        ProxyOptions o = ProxyFixture.options("http://" + sim.target(), keys);
        o = new ProxyOptions(o.upstream(), o.listenHost(), 0, o.metricsHost(), 0, o.keysFile(), null,
                o.redisFailure(), "You are a support bot.", ProxyOptions.PromptPolicyMode.PREPEND, 4096, 400, 64,
                o.servedModel(), false, o.upstreamTimeout(), o.keysPollInterval());
        proxy = fx.start(o);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        sim.close();
    }

    private static String chatUrl() {
        return proxy.baseUrl() + "/chat/completions";
    }

    @Test
    void refusesMissingUnknownAndRevokedKeys() throws Exception {
        String id = ProxyFixture.newId();
        fx.assertError(ProxyFixture.post(chatUrl(), null, id, ProxyFixture.chat("hi", false)), id, 401, "missing_api_key");
        id = ProxyFixture.newId();
        fx.assertError(ProxyFixture.post(chatUrl(), "cbk-wrong", id, ProxyFixture.chat("hi", false)), id, 401, "invalid_api_key");
        id = ProxyFixture.newId();
        JsonNode line = fx.assertError(ProxyFixture.post(chatUrl(), revokedKey, id, ProxyFixture.chat("hi", false)), id,
                401, "revoked_api_key");
        assertEquals("old", line.path("key").asText());
        assertFalse(String.join("\n", fx.log).contains(revokedKey), "a key never reaches the log");
    }

    @Test
    void refusesBadInput() throws Exception {
        String id = ProxyFixture.newId();
        fx.assertError(ProxyFixture.post(chatUrl(), key, id, "{\"model\": "), id, 400, "invalid_json");
        id = ProxyFixture.newId();
        fx.assertError(ProxyFixture.post(chatUrl(), key, id, ProxyFixture.chat("x".repeat(5000), false)), id, 413,
                "request_too_large");
        id = ProxyFixture.newId();
        fx.assertError(ProxyFixture.post(chatUrl(), key, id, ProxyFixture.chat("word ".repeat(700), false)), id, 400,
                "input_too_long");
        id = ProxyFixture.newId();
        fx.assertError(ProxyFixture.post(chatUrl(), key, id, ProxyFixture.chat("hi", false).replace("llama-3.1-8b-instruct",
                "gpt-4o")), id, 404, "model_not_found");
        id = ProxyFixture.newId();
        fx.assertError(ProxyFixture.post(chatUrl(), key, id, ProxyFixture.chat("hi", false).replace("{", "{\"n\":2,")),
                id, 400, "unsupported_parameter");
        id = ProxyFixture.newId();
        fx.assertError(ProxyFixture.post(chatUrl(), key, id, ProxyFixture.chat("hi", false).replace("{",
                "{\"tools\":[{\"type\":\"function\"}],")), id, 400, "unsupported_parameter");
        id = ProxyFixture.newId();
        fx.assertError(ProxyFixture.post(chatUrl(), key, id, ProxyFixture.chat("hi", false).replace("12", "100")),
                id, 400, "max_tokens_too_large");
    }

    @Test
    void countsTokensExactlyWithoutStreaming() throws Exception {
        String id = ProxyFixture.newId();
        HttpResponse<String> r = ProxyFixture.post(chatUrl(), key, id, ProxyFixture.chat("how do I reset my password", false));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode usage = Json.mapper().readTree(r.body()).path("usage");
        JsonNode line = fx.logLine(id);
        assertEquals(usage.path("prompt_tokens").asLong(), line.path("promptTokens").asLong());
        assertEquals(usage.path("completion_tokens").asLong(), line.path("completionTokens").asLong());
        assertTrue(usage.path("completion_tokens").asLong() > 0);
        assertEquals("web", line.path("key").asText());
        assertEquals("127.0.0.1", line.path("client").asText());
        assertTrue(r.headers().firstValue(ProxyHandler.ADDED_HEADER).isPresent());
    }

    @Test
    void streamsCountExactlyAndStripTheUsageChunkTheClientDidNotAskFor() throws Exception {
        sim.clearRequestLog();
        String id = ProxyFixture.newId();
        HttpResponse<String> r = ProxyFixture.post(chatUrl(), key, id, ProxyFixture.chat("hello there", true));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
        assertFalse(r.body().contains("\"usage\""), "the client did not ask for usage: " + r.body());
        JsonNode line = fx.logLine(id);
        RequestRecord upstream = sim.requestLog().get(sim.requestLog().size() - 1);
        assertEquals(upstream.promptTokens(), line.path("promptTokens").asLong());
        assertEquals(upstream.outputTokens(), line.path("completionTokens").asLong());
        assertTrue(line.path("ttftMillis").asDouble() >= 0);
    }

    @Test
    void streamedBytesAreTheDirectOnes() throws Exception {
        String body = ProxyFixture.chat("what are your opening hours", true)
                .replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}")
                .replace("{\"model\"", "{\"messages\":[{\"role\":\"system\",\"content\":\"You are a support bot.\"},"
                        + "{\"role\":\"user\",\"content\":\"what are your opening hours\"}],\"model\"");
        // the same request as the proxy sends it: its system prompt first
        String direct = ProxyFixture.post(sim.baseUrl() + "/chat/completions", null, "d", directBody()).body();
        String proxied = ProxyFixture.post(chatUrl(), key, ProxyFixture.newId(),
                ProxyFixture.chat("what are your opening hours", true).replace("\"stream\":true",
                        "\"stream\":true,\"stream_options\":{\"include_usage\":true}")).body();
        assertTrue(proxied.contains("\"usage\":{"), "asked for usage: " + proxied);
        assertEquals(normalise(direct), normalise(proxied));
        assertFalse(body.isEmpty());
    }

    private static String directBody() {
        return "{\"model\":\"llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a support bot.\"},"
                + "{\"role\":\"user\",\"content\":\"what are your opening hours\"}],\"max_tokens\":12,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}";
    }

    /** The response id and creation time differ per request; every other byte must match. */
    private static String normalise(String sse) {
        return sse.replaceAll("\"id\":\"[^\"]*\"", "\"id\":\"X\"").replaceAll("\"created\":\\d+", "\"created\":0");
    }

    @Test
    void clientGoneMidStreamCancelsTheUpstreamRequest() throws Exception {
        try (Simulator slow = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0)
                .itl(Duration.ofMillis(50)).build());
             ProxyServer p = fx.start(ProxyFixture.options("http://" + slow.target(), dir.resolve("keys.yaml")))) {
            String id = ProxyFixture.newId();
            String body = ProxyFixture.chat("tell me a long story", true).replace("\"max_tokens\":12", "\"max_tokens\":400");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                        + "authorization: Bearer " + key + "\r\nx-request-id: " + id + "\r\ncontent-length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = s.getInputStream();
                String seen = "";
                byte[] buf = new byte[4096];
                while (!seen.contains("\"content\":\"") || seen.indexOf("data:") == seen.lastIndexOf("data:")) {
                    int n = in.read(buf);
                    assertTrue(n > 0, "stream ended early: " + seen);
                    seen += new String(buf, 0, n, StandardCharsets.UTF_8);
                }
            }
            Poll.until(() -> slow.requestLog().stream().anyMatch(r -> r.outcome().equals("abort")));
            RequestRecord aborted = slow.requestLog().get(0);
            assertEquals("abort", aborted.outcome());
            assertTrue(aborted.outputTokens() < 400, "stopped early: " + aborted);
            assertEquals(1, p.cancelledUpstreamRequests());
            JsonNode line = fx.logLine(id);
            assertEquals(499, line.path("status").asInt());
            assertEquals("client_closed_request", line.path("errorType").asText());
        }
    }

    @Test
    void aStreamForAClientThatAskedToCloseEndsWithTheConnection() throws Exception {
        String body = ProxyFixture.chat("hi", true);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nconnection: close\r\n"
                    + "content-type: application/json\r\nx-api-key: " + key + "\r\ncontent-length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(10_000);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // returns at EOF
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.contains("data: [DONE]"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
        }
    }

    @Test
    void upstreamDownIs502AndSilentIs504() throws Exception {
        try (ProxyServer down = fx.start(ProxyFixture.options("http://127.0.0.1:" + FreePorts.next(), dir.resolve("keys.yaml")))) {
            String id = ProxyFixture.newId();
            fx.assertError(ProxyFixture.post(down.baseUrl() + "/chat/completions", key, id,
                    ProxyFixture.chat("hi", false)), id, 502, "bad_gateway");
            assertEquals(503, ProxyFixture.get(down.baseUrl().replace("/v1", "/ready")).statusCode());
            assertEquals(200, ProxyFixture.get(down.baseUrl().replace("/v1", "/health")).statusCode());
        }
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        silent.accept(); // reads nothing, answers nothing
                    }
                } catch (Exception closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ProxyOptions o = ProxyFixture.options("http://127.0.0.1:" + silent.getLocalPort(), dir.resolve("keys.yaml"));
            o = new ProxyOptions(o.upstream(), o.listenHost(), 0, o.metricsHost(), 0, o.keysFile(), null,
                    o.redisFailure(), null, o.systemPromptPolicy(), o.maxBodyBytes(), 0, 0, o.servedModel(), false,
                    Duration.ofMillis(300), o.keysPollInterval());
            try (ProxyServer p = fx.start(o)) {
                String id = ProxyFixture.newId();
                fx.assertError(ProxyFixture.post(p.baseUrl() + "/chat/completions", key, id,
                        ProxyFixture.chat("hi", false)), id, 504, "upstream_timeout");
            }
        }
    }

    @Test
    void healthReadyAndMetricsWithTheUpstreamsSeries() throws Exception {
        assertEquals(200, ProxyFixture.get(proxy.baseUrl().replace("/v1", "/health")).statusCode());
        assertEquals(200, ProxyFixture.get(proxy.baseUrl().replace("/v1", "/ready")).statusCode());
        assertEquals(200, ProxyFixture.post(chatUrl(), key, ProxyFixture.newId(), ProxyFixture.chat("hi", false)).statusCode());
        String metrics = ProxyFixture.get(proxy.metricsUrl()).body();
        assertTrue(metrics.contains("chatbotctl_proxy_requests_total{key=\"web\",status=\"200\",error_type=\"\"}"), metrics);
        assertFalse(metrics.contains("chatbotctl_proxy_requests_total{key=\"\",status=\"200\""), "probes are not requests: " + metrics);
        assertTrue(metrics.contains("chatbotctl_proxy_tokens_total{key=\"web\",kind=\"completion\"}"), metrics);
        assertTrue(metrics.contains("chatbotctl_proxy_added_latency_seconds_bucket"), metrics);
        assertTrue(metrics.contains("chatbotctl_proxy_upstream_ttft_seconds_count"), metrics);
        assertTrue(metrics.contains("vllm:num_requests_running"), "the upstream's series follow: " + metrics);
        HttpResponse<String> models = ProxyFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(proxy.baseUrl() + "/models")).header("x-api-key", key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode());
        assertTrue(models.body().contains("llama-3.1-8b-instruct"));
    }

    @Test
    void rateLimitAnswers429WithOpenAisHeaders() throws Exception {
        Path keys = dir.resolve("limited.yaml");
        String limited = Keys.create(keys, "tight", 2, 100_000, 0).key();
        try (ProxyServer p = fx.start(ProxyFixture.options("http://" + sim.target(), keys))) {
            String url = p.baseUrl() + "/chat/completions";
            HttpResponse<String> first = ProxyFixture.post(url, limited, ProxyFixture.newId(), ProxyFixture.chat("a", false));
            assertEquals(200, first.statusCode());
            assertEquals("2", first.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
            assertEquals("1", first.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
            assertEquals("100000", first.headers().firstValue("x-ratelimit-limit-tokens").orElseThrow());
            assertTrue(first.headers().firstValue("x-ratelimit-reset-requests").isPresent());
            assertTrue(first.headers().firstValue("x-ratelimit-remaining-tokens").isPresent());
            assertTrue(first.headers().firstValue("x-ratelimit-reset-tokens").isPresent());
            ProxyFixture.post(url, limited, ProxyFixture.newId(), ProxyFixture.chat("b", false));
            String id = ProxyFixture.newId();
            HttpResponse<String> third = ProxyFixture.post(url, limited, id, ProxyFixture.chat("c", false));
            JsonNode line = fx.assertError(third, id, 429, "rate_limit_exceeded");
            assertEquals("requests", line.path("limit").asText());
            assertEquals("0", third.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
            long retry = Long.parseLong(third.headers().firstValue("retry-after").orElseThrow());
            assertTrue(retry >= 1 && retry <= 60, "retry-after " + retry);
        }
    }

    @Test
    void keyRotationThroughASecretVolumeSymlinkSwapWithoutRestart() throws Exception {
        Path volume = Files.createDirectories(dir.resolve("secret"));
        Path v1 = Files.createDirectories(volume.resolve("..2026_12_06_v1"));
        String oldKey = Keys.create(v1.resolve("keys.yaml"), "rotating", 0, 0, 0).key();
        Files.createSymbolicLink(volume.resolve("..data"), v1.getFileName());
        Files.createSymbolicLink(volume.resolve("keys.yaml"), Path.of("..data/keys.yaml"));
        try (ProxyServer p = fx.start(ProxyFixture.options("http://" + sim.target(), volume.resolve("keys.yaml")))) {
            String url = p.baseUrl() + "/chat/completions";
            assertEquals(200, ProxyFixture.post(url, oldKey, ProxyFixture.newId(), ProxyFixture.chat("a", false)).statusCode());
            // kubelet's update: a new timestamped directory, then ..data swapped to it by a rename
            Path v2 = Files.createDirectories(volume.resolve("..2026_12_06_v2"));
            Files.copy(v1.resolve("keys.yaml"), v2.resolve("keys.yaml"));
            String newKey = Keys.create(v2.resolve("keys.yaml"), "rotated", 0, 0, 0).key();
            Keys.revoke(v2.resolve("keys.yaml"), "rotating");
            Path tmpLink = volume.resolve("..data_tmp");
            Files.createSymbolicLink(tmpLink, v2.getFileName());
            Files.move(tmpLink, volume.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Poll.until(() -> ProxyFixture.post(url, newKey, ProxyFixture.newId(), ProxyFixture.chat("b", false)).statusCode() == 200);
            String id = ProxyFixture.newId();
            fx.assertError(ProxyFixture.post(url, oldKey, id, ProxyFixture.chat("c", false)), id, 401, "revoked_api_key");
        }
    }

    @Test
    void logBodiesMasksPersonalData() throws Exception {
        ProxyOptions o = ProxyFixture.options("http://" + sim.target(), dir.resolve("keys.yaml"));
        o = new ProxyOptions(o.upstream(), o.listenHost(), 0, o.metricsHost(), 0, o.keysFile(), null, o.redisFailure(),
                null, o.systemPromptPolicy(), o.maxBodyBytes(), 0, 0, o.servedModel(), true, o.upstreamTimeout(),
                o.keysPollInterval());
        try (ProxyServer p = fx.start(o)) {
            String id = ProxyFixture.newId();
            String personal = "mail kim@example.com or call 010-1234-5678, card 4111 1111 1111 1111, RRN 900101-1234567";
            assertEquals(200, ProxyFixture.post(p.baseUrl() + "/chat/completions", key, id,
                    ProxyFixture.chat(personal, false)).statusCode());
            String body = fx.logLine(id).path("requestBody").asText();
            assertTrue(body.contains("[EMAIL]") && body.contains("[PHONE]") && body.contains("[CARD]")
                    && body.contains("[RRN]"), body);
            for (String secret : List.of("kim@example.com", "010-1234-5678", "4111 1111", "900101-1234567")) {
                assertFalse(body.contains(secret), body);
            }
        }
    }
}
