package io.chatbotctl.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upstream's answers read as bytes, however the reads split them. */
class ResponseParserTest {
    private static final String CHUNKED = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            + "transfer-encoding: chunked\r\n\r\n"
            + "f\r\ndata: {\"a\":1}\n\n\r\n" + "F\r\ndata: {\"b\":2}\n\n\r\n" + "E;ext=1\r\ndata: [DONE]\n\n\r\n"
            + "0\r\nx-trailer: t\r\n\r\n";

    /** What a receiver saw: the head, the body's bytes, how many content calls, whether the last one came. */
    private static final class Seen implements ResponseParser.Receiver {
        HttpResponse head;
        final StringBuilder body = new StringBuilder();
        int contents;
        int lasts;

        @Override
        public void head(HttpResponse h) {
            head = h;
        }

        @Override
        public void content(ByteBuf data, boolean last) {
            body.append(data.toString(StandardCharsets.ISO_8859_1));
            data.release();
            contents++;
            lasts += last ? 1 : 0;
        }
    }

    private static Seen parse(String response, int readBytes) {
        ResponseParser parser = new ResponseParser(ByteBufAllocator.DEFAULT);
        Seen seen = new Seen();
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += readBytes) {
            parser.read(Unpooled.copiedBuffer(bytes, i, Math.min(readBytes, bytes.length - i)), seen);
        }
        return seen;
    }

    @Test
    void chunkedBodyIsTheSameBytesWhateverTheReads() {
        for (int read : new int[] {1, 2, 3, 7, 16, 64, 10_000}) {
            Seen seen = parse(CHUNKED, read);
            assertEquals(200, seen.head.status().code(), "read " + read);
            assertEquals("text/event-stream", seen.head.headers().get("Content-Type"));
            assertEquals("data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n", seen.body.toString(), "read " + read);
            assertEquals(1, seen.lasts, "read " + read);
        }
    }

    @Test
    void theChunksOfOneReadAreHandedOnOnce() {
        assertEquals(1, parse(CHUNKED, 10_000).contents);
    }

    @Test
    void lengthBodiesEmptyBodiesAndInterimAnswers() {
        String answer = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\ncontent-length: 5\r\n\r\nhello";
        for (int read : new int[] {1, 5, 10_000}) {
            Seen seen = parse(answer, read);
            assertEquals(400, seen.head.status().code());
            assertEquals("Bad Request", seen.head.status().reasonPhrase());
            assertEquals("hello", seen.body.toString());
            assertEquals(1, seen.lasts);
        }
        Seen empty = parse("HTTP/1.1 204 No Content\r\n\r\n", 10_000);
        assertEquals(204, empty.head.status().code());
        assertEquals(1, empty.lasts);
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() {
        ResponseParser parser = new ResponseParser(ByteBufAllocator.DEFAULT);
        Seen seen = new Seen();
        parser.read(Unpooled.copiedBuffer("HTTP/1.0 200 OK\r\n\r\nsome", StandardCharsets.US_ASCII), seen);
        parser.read(Unpooled.copiedBuffer(" text", StandardCharsets.US_ASCII), seen);
        assertEquals(0, seen.lasts);
        assertTrue(parser.closed(seen));
        assertEquals("some text", seen.body.toString());
        assertEquals(1, seen.lasts);
    }

    @Test
    void anAnswerCutShortIsNotComplete() {
        ResponseParser parser = new ResponseParser(ByteBufAllocator.DEFAULT);
        Seen seen = new Seen();
        parser.read(Unpooled.copiedBuffer(CHUNKED.substring(0, 90), StandardCharsets.US_ASCII), seen);
        assertEquals(false, parser.closed(seen));
        assertEquals(0, seen.lasts);
    }

    @Test
    void refusesWhatIsNotHttp() {
        ResponseParser parser = new ResponseParser(ByteBufAllocator.DEFAULT);
        assertThrows(ResponseParser.MalformedResponseException.class, () -> parser.read(
                Unpooled.copiedBuffer("SSH-2.0-OpenSSH\r\n", StandardCharsets.US_ASCII), new Seen()));
        ResponseParser chunks = new ResponseParser(ByteBufAllocator.DEFAULT);
        assertThrows(ResponseParser.MalformedResponseException.class, () -> chunks.read(Unpooled.copiedBuffer(
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n", StandardCharsets.US_ASCII), new Seen()));
    }
}
