package io.chatbotctl.openai;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Extra per-client headers (e.g. {@code X-Canary: always}) reach the server on streamed and plain calls. */
class OpenAiClientHeadersTest {
    @Test
    void extraHeadersAreSentWithEveryRequest() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(
                    "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"네\"}}]}\n\ndata: [DONE]\n\n"));
            server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                    .setBody("{\"object\":\"list\",\"data\":[{\"id\":\"m\"}]}"));
            server.start();
            OpenAiClient plain = OpenAiClient.create(server.url("/v1").toString(), "key");
            OpenAiClient canary = plain.withHeaders(Map.of("X-Canary", "always")).withHeaders(Map.of("X-Run", "7"));

            canary.streamChat(ChatRequest.of("m", List.of(ChatMessage.user("배송 언제 와요?"))), StreamListener.NONE);
            assertEquals(List.of("m"), canary.models());

            for (int i = 0; i < 2; i++) {
                RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
                assertEquals("always", request.getHeader("X-Canary"));
                assertEquals("7", request.getHeader("X-Run"));
                assertEquals("Bearer key", request.getHeader("Authorization"));
            }
            assertEquals(Map.of(), plain.headers(), "the original client is unchanged");
            assertEquals(Map.of("X-Canary", "always", "X-Run", "7"), canary.headers());
        }
    }
}
