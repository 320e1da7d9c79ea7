package io.chatbotctl.openai;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiClientTest {
    private static final ChatRequest REQUEST = ChatRequest.of("llama-3.1-8b-instruct",
            List.of(ChatMessage.user("주문한 상품이 언제 도착하나요?"))).withMaxTokens(64);

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void readsARecordedVllmStream() throws Exception {
        server.enqueue(sse(resource("vllm-chat-stream.txt")));
        List<ChatChunk> chunks = new ArrayList<>();
        StreamResult result = client().streamChat(REQUEST, (chunk, nanos) -> chunks.add(chunk));

        assertEquals("안녕하세요! 주문 번호를 알려주시면 배송 상태를 확인해 드리겠습니다.", result.completion().content());
        assertEquals("stop", result.completion().finishReason());
        assertEquals(new Usage(31, 12, 43), result.completion().usage());
        assertEquals(9, result.chunks(), "role chunk, 6 content chunks, finish chunk, usage chunk");
        assertEquals(6, result.contentChunks());
        assertEquals("assistant", chunks.get(0).role());
        assertFalse(chunks.get(0).hasContent(), "the role chunk carries no content");
        assertFalse(chunks.get(8).hasChoices(), "the usage chunk has empty choices");
        assertTrue(result.firstContentNanos() >= result.startNanos());
        assertTrue(result.endNanos() >= result.firstContentNanos());

        RecordedRequest request = server.takeRequest();
        assertEquals("/v1/chat/completions", request.getPath());
        String body = request.getBody().readUtf8();
        assertTrue(body.contains("\"stream\":true"), body);
        assertTrue(body.contains("\"include_usage\":true"), body);
        assertTrue(body.contains("\"max_tokens\":64"), body);
    }

    @Test
    void toleratesCrlfCommentsAndKeepAlives() throws Exception {
        server.enqueue(sse(resource("vllm-chat-stream-crlf-comments.txt")));
        StreamResult result = client().streamChat(REQUEST, StreamListener.NONE);
        assertEquals("안녕하세요! 주문 번호를 알려주시면 배송 상태를 확인해 드리겠습니다.", result.completion().content());
        assertEquals(9, result.chunks());
    }

    @Test
    void joinsMultiLineData() throws Exception {
        server.enqueue(sse("data: {\"id\":\"c1\",\n"
                + "data: \"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"length\"}]}\n\n"
                + "data: [DONE]\n\n"));
        StreamResult result = client().streamChat(REQUEST, StreamListener.NONE);
        assertEquals("hi", result.completion().content());
        assertEquals("length", result.completion().finishReason());
    }

    @Test
    void anErrorInsideTheStreamIsAFailure() throws Exception {
        server.enqueue(sse(resource("vllm-error-mid-stream.txt")));
        OpenAiException e = assertThrows(OpenAiException.class, () -> client().streamChat(REQUEST, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.ERROR_EVENT, e.kind());
        assertTrue(e.getMessage().contains("The engine is dead"), e.getMessage());

        server.enqueue(sse("data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\ndata: [DONE]\n\n"));
        e = assertThrows(OpenAiException.class, () -> client().streamChat(REQUEST, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.ERROR_EVENT, e.kind());
        assertTrue(e.getMessage().contains("overloaded"), e.getMessage());
    }

    @Test
    void anHttpErrorCarriesTheServersMessage() {
        server.enqueue(new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json")
                .setBody("{\"object\":\"error\",\"message\":\"This model's maximum context length is 8192 tokens.\","
                        + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"));
        OpenAiException e = assertThrows(OpenAiException.class, () -> client().streamChat(REQUEST, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.HTTP_STATUS, e.kind());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("maximum context length is 8192"), e.getMessage());

        server.enqueue(new MockResponse().setResponseCode(429)
                .setBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit\"}}"));
        e = assertThrows(OpenAiException.class, () -> client().chat(REQUEST));
        assertEquals(429, e.status());
        assertTrue(e.getMessage().contains("Rate limit reached"), e.getMessage());
    }

    @Test
    void aStreamCutOffIsReportedAsSuch() throws Exception {
        server.enqueue(sse(resource("vllm-cut-off.txt")));
        OpenAiException e = assertThrows(OpenAiException.class, () -> client().streamChat(REQUEST, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.CONNECTION_LOST, e.kind());

        server.enqueue(sse(resource("vllm-chat-stream.txt")).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        e = assertThrows(OpenAiException.class, () -> client().streamChat(REQUEST, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.CONNECTION_LOST, e.kind());
    }

    @Test
    void malformedJsonIsAMalformedStream() {
        server.enqueue(sse("data: {\"choices\": [\n\ndata: [DONE]\n\n"));
        OpenAiException e = assertThrows(OpenAiException.class, () -> client().streamChat(REQUEST, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.MALFORMED_STREAM, e.kind());
    }

    @Test
    void silenceBeyondTheReadTimeoutIsATimeout() throws IOException {
        server.enqueue(sse(resource("vllm-chat-stream.txt")).setBodyDelay(2, TimeUnit.SECONDS));
        OpenAiClient client = OpenAiClient.create(server.url("/").toString(), null, Duration.ofMillis(300));
        OpenAiException e = assertThrows(OpenAiException.class, () -> client.streamChat(REQUEST, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.TIMEOUT, e.kind());
    }

    @Test
    void nobodyListeningIsAConnectFailure() throws IOException {
        String url = server.url("/v1").toString();
        server.shutdown();
        OpenAiException e = assertThrows(OpenAiException.class,
                () -> OpenAiClient.create(url, null).streamChat(REQUEST, StreamListener.NONE));
        assertEquals(OpenAiException.Kind.CONNECT, e.kind());
        assertEquals(4, e.exitCode());
    }

    @Test
    void stampsEachChunkWhenItArrivesThroughFragmentedWrites() throws Exception {
        List<String> fragments = MisbehavingServer.halvedEvents(resource("vllm-chat-stream.txt"));
        List<Long> stamps = new ArrayList<>();
        try (MisbehavingServer slow = new MisbehavingServer(fragments, 15, false)) {
            StreamResult result = OpenAiClient.create(slow.baseUrl(), null)
                    .streamChat(REQUEST, (chunk, nanos) -> stamps.add(nanos));
            assertEquals(6, result.contentChunks());
        }
        assertEquals(9, stamps.size());
        for (int i = 1; i < stamps.size(); i++) {
            long gapMillis = (stamps.get(i) - stamps.get(i - 1)) / 1_000_000;
            assertTrue(gapMillis >= 25, "two 15 ms pauses separate consecutive events, got " + gapMillis + " ms");
        }
    }

    @Test
    void aConnectionDroppedMidEventIsNotSuccess() throws Exception {
        String stream = resource("vllm-chat-stream.txt");
        try (MisbehavingServer dropping = new MisbehavingServer(List.of(stream.substring(0, stream.length() / 2)), 1, true)) {
            OpenAiException e = assertThrows(OpenAiException.class,
                    () -> OpenAiClient.create(dropping.baseUrl(), null).streamChat(REQUEST, StreamListener.NONE));
            assertEquals(OpenAiException.Kind.CONNECTION_LOST, e.kind());
        }
    }

    @Test
    void asyncStreamsCompleteAndFail() throws Exception {
        server.enqueue(sse(resource("vllm-chat-stream.txt")));
        server.enqueue(new MockResponse().setResponseCode(503).setBody("{\"error\":{\"message\":\"loading model\"}}"));
        OpenAiClient client = client();
        assertEquals(6, client.streamChatAsync(REQUEST, StreamListener.NONE).get(10, TimeUnit.SECONDS).contentChunks());
        CompletionException e = assertThrows(CompletionException.class,
                () -> client.streamChatAsync(REQUEST, StreamListener.NONE).join());
        OpenAiException cause = assertInstanceOf(OpenAiException.class, e.getCause());
        assertEquals(503, cause.status());
    }

    @Test
    void nonStreamingModelsAndApiKey() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b-instruct\",\"object\":\"model\"}]}"));
        server.enqueue(new MockResponse().setBody("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"환불은 3~5영업일 걸립니다.\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":8,\"total_tokens\":18}}"));
        OpenAiClient client = OpenAiClient.create(server.url("/").toString(), "sk-test");
        assertEquals(List.of("llama-3.1-8b-instruct"), client.models());
        ChatCompletion answer = client.chat(REQUEST);
        assertEquals("환불은 3~5영업일 걸립니다.", answer.content());
        assertEquals(8, answer.usage().completionTokens());
        RecordedRequest models = server.takeRequest();
        assertEquals("/v1/models", models.getPath());
        assertEquals("Bearer sk-test", models.getHeader("Authorization"));
        assertTrue(server.takeRequest().getBody().readUtf8().contains("\"stream\":false"));
    }

    @Test
    void completesBaseUrlsAndReadsKeys() {
        assertEquals("http://h:8000/v1", OpenAiClient.baseUrl("http://h:8000"));
        assertEquals("http://h:8000/v1", OpenAiClient.baseUrl("http://h:8000/v1/"));
        assertEquals("a", OpenAiClient.apiKey(Map.of("CHATBOTCTL_API_KEY", "a", "OPENAI_API_KEY", "b")));
        assertEquals("b", OpenAiClient.apiKey(Map.of("OPENAI_API_KEY", "b")));
        assertNull(OpenAiClient.apiKey(Map.of()));
    }

    private OpenAiClient client() {
        return OpenAiClient.create(server.url("/v1").toString(), null);
    }

    private static MockResponse sse(String body) {
        return new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(body);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OpenAiClientTest.class.getResourceAsStream("/sse/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
