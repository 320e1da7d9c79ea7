package io.chatbotctl.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts proxies for tests and talks to them; keeps every access-log line and warning. */
final class ProxyFixture {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final AtomicLong IDS = new AtomicLong();

    final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> warnings = new ConcurrentLinkedQueue<>();

    static ProxyOptions options(String upstream, Path keys) {
        return ProxyOptions.resolve(new ProxyOptions.Flags(upstream, "127.0.0.1:0", "127.0.0.1:0", keys, null, null,
                        null, null, null, null, null, null, null, Duration.ofSeconds(2)),
                null, Map.of(), "llama-3.1-8b-instruct", Path.of("."))
                .withKeysPollInterval(Duration.ofMillis(50));
    }

    static ProxyOptions with(ProxyOptions o, String redis, ProxyOptions.RedisFailure failure) {
        return new ProxyOptions(o.upstream(), o.listenHost(), o.listenPort(), o.metricsHost(), o.metricsPort(),
                o.keysFile(), redis, failure, o.systemPrompt(), o.systemPromptPolicy(), o.maxBodyBytes(),
                o.maxInputTokens(), o.maxTokensCeiling(), o.servedModel(), o.logBodies(), o.upstreamTimeout(),
                o.keysPollInterval());
    }

    ProxyServer start(ProxyOptions options) {
        return ProxyServer.start(options, log::add, warnings::add);
    }

    static String chat(String content, boolean stream) {
        return "{\"model\":\"llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content
                + "\"}],\"max_tokens\":12,\"stream\":" + stream + "}";
    }

    static String newId() {
        return "test-" + IDS.incrementAndGet();
    }

    static HttpResponse<String> post(String url, String key, String requestId, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .header("x-request-id", requestId).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The access-log line of {@code requestId}, waiting for it (it is written once the answer is). */
    JsonNode logLine(String requestId) throws Exception {
        io.chatbotctl.testing.Poll.until(() -> find(requestId) != null);
        return find(requestId);
    }

    private JsonNode find(String requestId) throws IOException {
        for (String line : List.copyOf(log)) {
            JsonNode n = Json.mapper().readTree(line);
            if (requestId.equals(n.path("requestId").asText())) {
                return n;
            }
        }
        return null;
    }

    /** An OpenAI-shaped error with this status and code, its request id echoed, its access-log line written. */
    JsonNode assertError(HttpResponse<String> r, String requestId, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = Json.mapper().readTree(r.body()).path("error");
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isEmpty(), r.body());
        assertTrue(error.path("type").isTextual(), r.body());
        assertTrue(error.has("param") && error.has("code"), r.body());
        assertEquals(code, error.path("code").asText(), r.body());
        assertEquals(requestId, r.headers().firstValue("x-request-id").orElse(null));
        assertTrue(r.headers().firstValue(ProxyHandler.ADDED_HEADER).isPresent());
        JsonNode line = logLine(requestId);
        assertEquals(status, line.path("status").asInt(), line.toString());
        assertEquals(code, line.path("errorType").asText(), line.toString());
        return line;
    }
}
