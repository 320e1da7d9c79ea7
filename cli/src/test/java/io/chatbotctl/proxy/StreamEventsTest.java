package io.chatbotctl.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StreamEventsTest {
    private static final String ROLE = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n";
    private static final String TOKEN = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"안녕\"}}]}\n\n";
    private static final String TEXT = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"text\":\" hi\"}]}\n\n";
    private static final String USAGE = "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
            + "\"total_tokens\":20,\"completion_tokens\":8}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";

    /** Each complete event as "text", "usage" or "-" (neither); an incomplete tail as "tail:N" (its length). */
    private static List<String> scan(String stream) {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        StreamEvents events = new StreamEvents();
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int end; (end = events.next(bytes, from, bytes.length)) >= 0; from = end) {
            out.add(events.usage ? "usage" : events.text ? "text" : "-");
        }
        if (from < bytes.length) {
            out.add("tail:" + (bytes.length - from));
        }
        return out;
    }

    @Test
    void findsEventsTheirTextAndTheUsageChunk() {
        assertEquals(List.of("-", "text", "text", "usage", "-"), scan(ROLE + TOKEN + TEXT + USAGE + DONE));
        assertEquals(List.of("text", "tail:5"), scan(TOKEN + "data:"));
        assertEquals(List.of("tail:" + (TEXT.length() - 1)), scan(TEXT.substring(0, TEXT.length() - 1)),
                "one newline is not the end of an event");
        assertEquals(List.of("-"), scan("data: {\"choices\":[],\"usage\":null}\n\n"), "no usage object");
        assertEquals(List.of("text"), scan("data: {\"usage\":{\"prompt_tokens\":1},\"choices\":[{\"text\":\"x\"}]}\n\n"),
                "choices present: not the usage chunk");
        assertEquals(List.of("-"), scan("data: {\"choices\":[{\"delta\":{\"content\":\"\",\"text\":\"\"}}]}\n\n"));
        assertEquals(List.of("-"), scan("data: {\"choices\":[{\"delta\":{\"content\":null}}]}\n\n"));
    }

    @Test
    void readsUsageAsATreeWouldWithoutBuildingOne() throws Exception {
        String[] chunks = {
            USAGE,
            "data: {\"usage\":{\"prompt_tokens\":\"7\",\"completion_tokens\":2.9},\"choices\":[]}\n\n",
            "data: {\"usage\":{\"prompt_tokens\":1},\"x\":{\"usage\":{\"prompt_tokens\":5}},\"usage\":{\"completion_tokens\":3}}\n\n",
            "data: {\"usage\":[1,2],\"choices\":[]}\n\n",
            "data: {\"usage\":{\"prompt_tokens\":true,\"completion_tokens\":{\"a\":1}},\"choices\":[]}\n\n",
            "data: {\"usage\":{\"prompt_tokens\":99999999999999999999999,\"completion_tokens\":-4}}\n\n",
        };
        for (String chunk : chunks) {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            JsonNode u = Json.mapper().readTree(chunk.substring(chunk.indexOf('{'))).path("usage");
            assertArrayEquals(new long[] {u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong()},
                    StreamEvents.usage(bytes, 0, bytes.length), chunk);
        }
        byte[] malformed = "data: {\"usage\":{\"prompt_tokens\":1,}\n\n".getBytes(StandardCharsets.UTF_8);
        assertNull(StreamEvents.usage(malformed, 0, malformed.length));
    }
}
