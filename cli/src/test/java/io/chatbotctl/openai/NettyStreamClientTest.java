package io.chatbotctl.openai;

import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.SelfSignedCertificate;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator's non-blocking transport against real servers on loopback: same results and failure kinds as OpenAiClient. */
class NettyStreamClientTest {
    private static final ChatRequest REQUEST = ChatRequest.of("llama-3.1-8b-instruct",
            List.of(ChatMessage.user("주문한 상품이 언제 도착하나요?"))).withMaxTokens(64);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private MockWebServer server;
    private final List<NettyStreamClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
    }

    @AfterEach
    void stop() throws IOException {
        clients.forEach(NettyStreamClient::close);
        server.shutdown();
    }

    @Test
    void readsARecordedVllmStreamAndSendsTheHeaders() throws Exception {
        server.enqueue(sse(resource("vllm-chat-stream.txt")));
        NettyStreamClient client = client(server.url("/v1").toString(), "sk-test", Map.of("X-Canary", "always"), TIMEOUT);
        List<ChatChunk> chunks = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        StreamListener listener = new StreamListener() {
            @Override
            public void onSend(long nanos) {
                times.add(nanos);
            }

            @Override
            public void onChunk(ChatChunk chunk, long nanos) {
                chunks.add(chunk);
            }
        };
        StreamResult result = client.stream(client.prepare("/chat/completions", OpenAiClient.chatBody(REQUEST, true)), listener)
                .get(10, TimeUnit.SECONDS);

        assertEquals("안녕하세요! 주문 번호를 알려주시면 배송 상태를 확인해 드리겠습니다.", result.completion().content());
        assertEquals("chatcmpl-8f2d1c", result.completion().id());
        assertEquals(new Usage(31, 12, 43), result.completion().usage());
        assertEquals(9, result.chunks());
        assertEquals(6, result.contentChunks());
        assertEquals("assistant", chunks.get(0).role());
        assertEquals(List.of(result.startNanos()), times, "onSend gives the start of the request");
        assertTrue(result.firstContentNanos() >= result.startNanos() && result.endNanos() >= result.firstContentNanos());

        RecordedRequest request = server.takeRequest();
        assertEquals("POST /v1/chat/completions HTTP/1.1", request.getRequestLine());
        assertEquals("Bearer sk-test", request.getHeader("Authorization"));
        assertEquals("always", request.getHeader("X-Canary"));
        assertEquals("application/json", request.getHeader("Content-Type"));
        String body = request.getBody().readUtf8();
        assertTrue(body.contains("\"stream\":true") && body.contains("\"max_tokens\":64"), body);
    }

    @Test
    void keepAliveConnectionsAreReusedAcrossRequestsAndAfterAnHttpError() throws Exception {
        String stream = resource("vllm-chat-stream.txt");
        server.enqueue(sse(stream));
        server.enqueue(new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json")
                .setBody("{\"object\":\"error\",\"message\":\"This model's maximum context length is 8192 tokens.\",\"code\":400}"));
        server.enqueue(sse(stream));
        NettyStreamClient client = client(server.url("/v1").toString(), null, Map.of(), TIMEOUT);
        NettyStreamClient.Prepared request = client.prepare("/chat/completions", OpenAiClient.chatBody(REQUEST, true));

        assertEquals(6, client.stream(request, StreamListener.NONE).get(10, TimeUnit.SECONDS).contentChunks());
        OpenAiException e = failure(client.stream(request, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.HTTP_STATUS, e.kind());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("maximum context length is 8192"), e.getMessage());
        assertEquals(6, client.stream(request, StreamListener.NONE).get(10, TimeUnit.SECONDS).contentChunks());

        assertEquals(0, server.takeRequest().getSequenceNumber());
        assertEquals(1, server.takeRequest().getSequenceNumber(), "the second request went on the first one's connection");
        assertEquals(2, server.takeRequest().getSequenceNumber());
    }

    @Test
    void errorsInsideTheStreamAndMalformedJson() throws Exception {
        server.enqueue(sse(resource("vllm-error-mid-stream.txt")));
        server.enqueue(sse("data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\ndata: [DONE]\n\n"));
        server.enqueue(sse("data: {\"choices\": [\n\ndata: [DONE]\n\n"));
        server.enqueue(sse("event: error\ndata: shutting down\n\n"));
        NettyStreamClient client = client(server.url("/v1").toString(), null, Map.of(), TIMEOUT);
        NettyStreamClient.Prepared request = client.prepare("/chat/completions", OpenAiClient.chatBody(REQUEST, true));

        OpenAiException e = failure(client.stream(request, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.ERROR_EVENT, e.kind());
        assertEquals(500, e.status(), "vLLM's {\"object\":\"error\"} code");
        assertTrue(e.getMessage().contains("The engine is dead"), e.getMessage());
        e = failure(client.stream(request, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.ERROR_EVENT, e.kind());
        assertTrue(e.getMessage().contains("overloaded"), e.getMessage());
        assertEquals(OpenAiException.Kind.MALFORMED_STREAM, failure(client.stream(request, StreamListener.NONE)).kind());
        e = failure(client.stream(request, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.ERROR_EVENT, e.kind());
        assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
    }

    @Test
    void aServerClosingMidStreamIsConnectionLost() throws Exception {
        server.enqueue(sse(resource("vllm-cut-off.txt")));
        server.enqueue(sse(resource("vllm-chat-stream.txt")).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        NettyStreamClient client = client(server.url("/v1").toString(), null, Map.of(), TIMEOUT);
        NettyStreamClient.Prepared request = client.prepare("/chat/completions", OpenAiClient.chatBody(REQUEST, true));
        OpenAiException e = failure(client.stream(request, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.CONNECTION_LOST, e.kind());
        assertTrue(e.getMessage().contains("without [DONE]"), e.getMessage());
        assertEquals(OpenAiException.Kind.CONNECTION_LOST, failure(client.stream(request, StreamListener.NONE)).kind());

        String stream = resource("vllm-chat-stream.txt");
        try (MisbehavingServer dropping = new MisbehavingServer(List.of(stream.substring(0, stream.length() / 2)), 1, true)) {
            NettyStreamClient other = client(dropping.baseUrl(), null, Map.of(), TIMEOUT);
            e = failure(other.stream(other.prepare("/chat/completions", OpenAiClient.chatBody(REQUEST, true)), StreamListener.NONE));
            assertEquals(OpenAiException.Kind.CONNECTION_LOST, e.kind());
            assertTrue(e.getMessage().contains("lost"), e.getMessage());
        }
    }

    @Test
    void silenceBeyondTheReadTimeoutIsATimeoutButSteadyChunksAreNot() throws Exception {
        server.enqueue(sse(resource("vllm-chat-stream.txt")).setBodyDelay(2, TimeUnit.SECONDS));
        NettyStreamClient client = client(server.url("/v1").toString(), null, Map.of(), Duration.ofMillis(300));
        OpenAiException e = failure(client.stream(client.prepare("/chat/completions", OpenAiClient.chatBody(REQUEST, true)),
                StreamListener.NONE));
        assertEquals(OpenAiException.Kind.TIMEOUT, e.kind());

        List<String> fragments = MisbehavingServer.halvedEvents(resource("vllm-chat-stream.txt"));
        List<Long> stamps = new ArrayList<>();
        try (MisbehavingServer slow = new MisbehavingServer(fragments, 15, false)) {
            NettyStreamClient steady = client(slow.baseUrl(), null, Map.of(), Duration.ofMillis(300));
            StreamResult result = steady.stream(steady.prepare("/chat/completions", OpenAiClient.chatBody(REQUEST, true)),
                    (chunk, nanos) -> stamps.add(nanos)).get(10, TimeUnit.SECONDS);
            assertEquals(6, result.contentChunks(), "18 pauses of 15 ms add up beyond the timeout; none alone reaches it");
        }
        assertEquals(9, stamps.size());
        for (int i = 1; i < stamps.size(); i++) {
            long gapMillis = (stamps.get(i) - stamps.get(i - 1)) / 1_000_000;
            assertTrue(gapMillis >= 25, "two 15 ms pauses separate consecutive events, got " + gapMillis + " ms");
        }
    }

    @Test
    void nobodyListeningIsAConnectFailure() {
        NettyStreamClient client = client("http://127.0.0.1:" + FreePorts.next() + "/v1", null, Map.of(), TIMEOUT);
        OpenAiException e = failure(client.stream(client.prepare("/chat/completions", OpenAiClient.chatBody(REQUEST, true)),
                StreamListener.NONE));
        assertEquals(OpenAiException.Kind.CONNECT, e.kind());
        assertEquals(4, e.exitCode());
    }

    @Test
    void httpsWithATrustedCertificateStreamsAndAnUntrustedOneIsAConnectFailure(@TempDir Path dir) throws Exception {
        KeyStore keys = SelfSignedCertificate.keyStore(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, SelfSignedCertificate.PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server.useHttps(tls.getSocketFactory(), false);
        server.enqueue(sse(resource("vllm-chat-stream.txt")));
        server.enqueue(sse(resource("vllm-chat-stream.txt")));
        String url = server.url("/v1").toString();
        assertTrue(url.startsWith("https://"), url);

        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        NettyStreamClient client = clients(NettyStreamClient.create(url, null, Map.of(), TIMEOUT, 1,
                SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(trust)
                        .endpointIdentificationAlgorithm("HTTPS").build()));
        NettyStreamClient.Prepared request = client.prepare("/chat/completions", OpenAiClient.chatBody(REQUEST, true));
        assertEquals(6, client.stream(request, StreamListener.NONE).get(10, TimeUnit.SECONDS).contentChunks());
        assertEquals(6, client.stream(request, StreamListener.NONE).get(10, TimeUnit.SECONDS).contentChunks());
        assertEquals(0, server.takeRequest().getSequenceNumber());
        assertEquals(1, server.takeRequest().getSequenceNumber(), "one TLS connection carried both");

        NettyStreamClient untrusting = client(url, null, Map.of(), TIMEOUT);
        OpenAiException e = failure(untrusting.stream(untrusting.prepare("/chat/completions",
                OpenAiClient.chatBody(REQUEST, true)), StreamListener.NONE));
        assertEquals(OpenAiException.Kind.CONNECT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
    }

    @Test
    void manyConcurrentStreamsFromTheSimulatorAllComplete() throws Exception {
        try (Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).seed(1L).build())) {
            NettyStreamClient client = client(sim.baseUrl(), null, Map.of(), TIMEOUT);
            NettyStreamClient.Prepared request = client.prepare("/chat/completions",
                    OpenAiClient.chatBody(REQUEST.withMaxTokens(8).withExtra(Map.of("ignore_eos", true)), true));
            List<CompletableFuture<StreamResult>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                futures.add(client.stream(request, StreamListener.NONE));
            }
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<StreamResult> f : futures) {
                StreamResult r = f.get(30, TimeUnit.SECONDS);
                assertEquals(8, r.completion().usage().completionTokens());
                ids.add(r.completion().id());
            }
            assertEquals(300, ids.size(), "every stream has its own completion id");
            assertEquals(300, sim.requestLog().size());
        }
    }

    private NettyStreamClient client(String url, String apiKey, Map<String, String> headers, Duration timeout) {
        return clients(NettyStreamClient.create(url, apiKey, headers, timeout, 1));
    }

    private NettyStreamClient clients(NettyStreamClient client) {
        clients.add(client);
        return client;
    }

    private static OpenAiException failure(CompletableFuture<StreamResult> future) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(OpenAiException.class, e.getCause());
    }

    private static MockResponse sse(String body) {
        return new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(body);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NettyStreamClientTest.class.getResourceAsStream("/sse/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
