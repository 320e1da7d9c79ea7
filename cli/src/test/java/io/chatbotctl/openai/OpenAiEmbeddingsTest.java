package io.chatbotctl.openai;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiEmbeddingsTest {
    @Test
    void vectorsComeBackInInputOrderByIndex() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("""
                    {"object":"list","data":[
                      {"object":"embedding","index":1,"embedding":[0.0,1.0]},
                      {"object":"embedding","index":0,"embedding":[1.0,0.5]}],
                     "model":"e5","usage":{"prompt_tokens":4,"total_tokens":4}}"""));
            server.enqueue(new MockResponse().setResponseCode(404).setBody("{\"detail\":\"Not Found\"}"));
            server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                    .setBody("{\"data\":[{\"index\":0,\"embedding\":[1.0]}]}"));
            OpenAiClient client = OpenAiClient.create(server.url("/").toString(), "key");
            List<double[]> vectors = client.embeddings("e5", List.of("환불", "refund"));
            assertArrayEquals(new double[]{1.0, 0.5}, vectors.get(0));
            assertArrayEquals(new double[]{0.0, 1.0}, vectors.get(1));
            RecordedRequest request = server.takeRequest();
            assertEquals("/v1/embeddings", request.getPath());
            assertEquals("{\"model\":\"e5\",\"input\":[\"환불\",\"refund\"]}", request.getBody().readUtf8());
            assertEquals("Bearer key", request.getHeader("Authorization"));

            OpenAiException notFound = assertThrows(OpenAiException.class, () -> client.embeddings("e5", List.of("a")));
            assertEquals(OpenAiException.Kind.HTTP_STATUS, notFound.kind());
            assertEquals(404, notFound.status());
            OpenAiException missing = assertThrows(OpenAiException.class, () -> client.embeddings("e5", List.of("a", "b")));
            assertTrue(missing.getMessage().contains("no embedding for input 1"), missing.getMessage());
        }
    }
}
