package io.chatbotctl.openai;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Events come out the same however the bytes are cut, and each carries the time of the bytes that completed it. */
class SseParserTest {
    private static final String STREAM = ": keep-alive\r\n\r\ndata: {\"content\":\"배송\"}\r\n\r\nevent: error\ndata: a\ndata: b\n\n"
            + "id: 7\nretry: 10\ndata\n\nevent: ignored\n\ndata: [DONE]\n\ndata: half";

    @Test
    void everySplitGivesTheSameEvents() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        List<String> whole = parse(bytes, bytes.length);
        assertEquals(List.of("message|{\"content\":\"배송\"}", "error|a\nb", "message|", "message|[DONE]"), whole);
        for (int piece = 1; piece < bytes.length; piece++) {
            assertEquals(whole, parse(bytes, piece), "in pieces of " + piece + " bytes");
        }
    }

    @Test
    void anEventIsStampedWithTheReadThatCompletedIt() {
        List<Long> stamps = new ArrayList<>();
        SseParser parser = new SseParser((type, data, length, nanos) -> stamps.add(nanos));
        byte[] first = "data: {\"a\":".getBytes(StandardCharsets.UTF_8);
        byte[] second = "1}\n\ndata: x\n".getBytes(StandardCharsets.UTF_8);
        byte[] third = "\n".getBytes(StandardCharsets.UTF_8);
        parser.feed(first, 0, first.length, 1);
        parser.feed(second, 0, second.length, 2);
        parser.feed(third, 0, third.length, 3);
        assertEquals(List.of(2L, 3L), stamps);
        assertEquals(0, parser.comments());
    }

    private static List<String> parse(byte[] bytes, int piece) {
        List<String> events = new ArrayList<>();
        SseParser parser = new SseParser((type, data, length, nanos) ->
                events.add((type == null ? "message" : type) + "|" + new String(data, 0, length, StandardCharsets.UTF_8)));
        for (int i = 0; i < bytes.length; i += piece) {
            parser.feed(bytes, i, Math.min(piece, bytes.length - i), i);
        }
        assertEquals(1, parser.comments());
        return events;
    }
}
