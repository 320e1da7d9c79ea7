package io.chatbotctl.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The body sent upstream: written into rather than re-serialised, and the same JSON either way. */
class RequestPolicyTest {
    private static RequestPolicy policy(ProxyOptions.PromptPolicyMode mode) {
        ProxyOptions o = ProxyFixture.options("http://127.0.0.1:1", Path.of("keys.yaml"));
        return new RequestPolicy(new ProxyOptions(o.upstream(), o.listenHost(), 0, o.metricsHost(), 0, o.keysFile(),
                null, o.redisFailure(), "Be \"brief\".\n", mode, 4096, 0, 0, o.servedModel(), false,
                o.upstreamTimeout(), o.keysPollInterval()));
    }

    private static JsonNode json(byte[] body) throws Exception {
        return Json.mapper().readTree(body);
    }

    @Test
    void aPrependedSystemPromptAndTheUsageRequestAreWrittenIntoTheClientsBytes() throws Exception {
        String client = "{ \"model\" : \"llama-3.1-8b-instruct\", \"stream\": true,\n \"messages\": [ {\"role\":\"user\","
                + "\"content\":\"hi [there]\"} ], \"extra\": {\"messages\": []} }";
        RequestPolicy.Applied applied = policy(ProxyOptions.PromptPolicyMode.PREPEND)
                .apply(client.getBytes(StandardCharsets.UTF_8), true);
        String sent = new String(applied.body(), StandardCharsets.UTF_8);
        assertTrue(sent.contains("\"stream\": true,\n \"messages\": [{\"role\":\"system\",\"content\":\"Be \\\"brief\\\".\\n\"}, {"), sent);
        JsonNode body = json(applied.body());
        assertEquals("system", body.path("messages").path(0).path("role").asText());
        assertEquals("Be \"brief\".\n", body.path("messages").path(0).path("content").asText());
        assertEquals("hi [there]", body.path("messages").path(1).path("content").asText());
        assertEquals(2, body.path("messages").size());
        assertTrue(body.path("stream_options").path("include_usage").asBoolean());
        assertEquals(0, body.path("extra").path("messages").size());
        assertTrue(applied.stripUsage());
    }

    @Test
    void replacingTheClientsSystemMessagesIsSerialised() throws Exception {
        String client = "{\"model\":\"llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"},"
                + "{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode body = json(policy(ProxyOptions.PromptPolicyMode.REPLACE)
                .apply(client.getBytes(StandardCharsets.UTF_8), true).body());
        assertEquals(2, body.path("messages").size());
        assertEquals("Be \"brief\".\n", body.path("messages").path(0).path("content").asText());
        assertEquals("hi", body.path("messages").path(1).path("content").asText());
    }

    @Test
    void aRepeatedMessagesFieldIsSerialisedAsTheTreeReadIt() throws Exception {
        String client = "{\"model\":\"llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"b\"}]}";
        JsonNode body = json(policy(ProxyOptions.PromptPolicyMode.DEFAULT)
                .apply(client.getBytes(StandardCharsets.UTF_8), true).body());
        assertEquals(2, body.path("messages").size());
        assertEquals("b", body.path("messages").path(1).path("content").asText());
    }
}
