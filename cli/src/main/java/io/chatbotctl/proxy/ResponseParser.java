package io.chatbotctl.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * The upstream's HTTP/1.1 answers read straight from the socket's bytes: the status line and headers become one
 * {@link HttpResponse}; the body is handed on as bytes, once per read, with the chunked framing taken off (a
 * length-delimited body is handed on as slices of the read, no copy). No object per chunk, and the several chunks
 * (server-sent events) of one read reach the client in one write.
 */
final class ResponseParser {
    /** Receives one answer's parts, in order. {@code content} owns the buffer (release it). */
    interface Receiver {
        void head(HttpResponse head);

        void content(ByteBuf data, boolean last);
    }

    static final class MalformedResponseException extends RuntimeException {
        MalformedResponseException(String message) {
            super(message, null, false, false);
        }
    }

    private enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE }

    private static final int MAX_LINE_BYTES = 16 * 1024;
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final HttpHeadersFactory HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final ByteBufAllocator alloc;
    private State state = State.HEAD;
    /** The part of a head or of a chunk-size line that a read split. */
    private ByteBuf partial;
    private HttpResponse head;
    private int headBytes;
    private long remaining;
    private String lastHeaderName;
    private boolean ended;

    ResponseParser(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Parses one read (which this call releases). */
    void read(ByteBuf in, Receiver receiver) {
        ByteBuf body = null;
        ended = false;
        try {
            while (in.isReadable() && !ended) {
                switch (state) {
                    case HEAD -> {
                        if (headLines(in)) {
                            body = startBody(receiver);
                        }
                    }
                    case LENGTH -> {
                        int n = (int) Math.min(remaining, in.readableBytes());
                        body = append(body, in, n);
                        remaining -= n;
                        if (remaining == 0) {
                            body = end(receiver, body);
                        }
                    }
                    case UNTIL_CLOSE -> body = append(body, in, in.readableBytes());
                    case CHUNK_SIZE -> {
                        ByteBuf line = line(in);
                        if (line != null) {
                            remaining = chunkSize(line);
                            release();
                            state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                        }
                    }
                    case CHUNK_DATA -> {
                        int n = (int) Math.min(remaining, in.readableBytes());
                        body = append(body, in, n);
                        remaining -= n;
                        if (remaining == 0) {
                            state = State.CHUNK_END;
                        }
                    }
                    case CHUNK_END -> {
                        ByteBuf line = line(in);
                        if (line != null) {
                            boolean empty = !line.isReadable();
                            release();
                            if (!empty) {
                                throw new MalformedResponseException("chunk not followed by CRLF");
                            }
                            state = State.CHUNK_SIZE;
                        }
                    }
                    case TRAILERS -> {
                        ByteBuf line = line(in);
                        if (line != null) {
                            boolean empty = !line.isReadable();
                            release();
                            if (empty) {
                                body = end(receiver, body);
                            }
                        }
                    }
                }
            }
            if (body != null) {
                receiver.content(body, false);
                body = null;
            }
        } finally {
            in.release();
            if (body != null) {
                body.release();
            }
        }
    }

    /** The connection closed: ends an answer whose end is the close; false when an answer was cut short. */
    boolean closed(Receiver receiver) {
        release();
        if (state == State.UNTIL_CLOSE) {
            state = State.HEAD;
            head = null;
            receiver.content(Unpooled.EMPTY_BUFFER, true);
            return true;
        }
        return state == State.HEAD && head == null && headBytes == 0;
    }

    /** Frees what a split read left; the connection is not used again. */
    void release() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    /** The answer is complete; bytes after it in the read are not an answer to anything and are dropped. */
    private ByteBuf end(Receiver receiver, ByteBuf body) {
        ended = true;
        state = State.HEAD;
        head = null;
        receiver.content(body == null ? Unpooled.EMPTY_BUFFER : body, true);
        return null;
    }

    private ByteBuf append(ByteBuf body, ByteBuf in, int n) {
        if (body == null) {
            return in.readRetainedSlice(n);
        }
        if (body.unwrap() != null) {
            // a slice of an earlier chunk of this read: the chunks are joined in a buffer of their own
            ByteBuf joined = alloc.buffer(body.readableBytes() + in.readableBytes());
            joined.writeBytes(body);
            body.release();
            body = joined;
        }
        body.writeBytes(in, n);
        return body;
    }

    /** Reads the head's lines; true when the blank line that ends it was read. */
    private boolean headLines(ByteBuf in) {
        while (in.isReadable()) {
            ByteBuf line = line(in);
            if (line == null) {
                return false;
            }
            headBytes += line.readableBytes() + 2;
            if (headBytes > MAX_HEAD_BYTES) {
                release();
                throw new MalformedResponseException("head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            if (head == null) {
                if (line.isReadable()) {
                    head = statusLine(line.toString(StandardCharsets.ISO_8859_1));
                }
            } else if (!line.isReadable()) {
                release();
                headBytes = 0;
                if (head.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                    head = null;
                    continue;
                }
                return true;
            } else {
                header(line, head.headers());
            }
            release();
        }
        return false;
    }

    private ByteBuf startBody(Receiver receiver) {
        HttpResponse h = head;
        HttpHeaders headers = h.headers();
        int code = h.status().code();
        receiver.head(h);
        if (code == 204 || code == 304) {
            return end(receiver, null);
        }
        if (headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)) {
            state = State.CHUNK_SIZE;
            return null;
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                remaining = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new MalformedResponseException("content-length " + length);
            }
            if (remaining == 0) {
                return end(receiver, null);
            }
            state = State.LENGTH;
            return null;
        }
        state = State.UNTIL_CLOSE;
        return null;
    }

    /**
     * The next line of {@code in} without its CRLF (or LF), or null when the read ends inside it (the part is kept).
     * The line returned is valid until {@link #release()}.
     */
    private ByteBuf line(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            int n = in.readableBytes();
            if ((partial == null ? 0 : partial.readableBytes()) + n > MAX_LINE_BYTES) {
                release();
                throw new MalformedResponseException("line longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (partial == null) {
                partial = alloc.buffer(Math.max(n, 128));
            }
            partial.writeBytes(in, n);
            return null;
        }
        int n = lf - in.readerIndex();
        ByteBuf line;
        if (partial == null) {
            partial = in.readRetainedSlice(n);
            line = partial;
        } else {
            partial.writeBytes(in, n);
            line = partial;
        }
        in.skipBytes(1);
        int end = line.writerIndex();
        if (end > line.readerIndex() && line.getByte(end - 1) == '\r') {
            line.writerIndex(end - 1);
        }
        return line;
    }

    private static HttpResponse statusLine(String line) {
        int sp1 = line.indexOf(' ');
        if (sp1 < 0 || !line.startsWith("HTTP/")) {
            throw new MalformedResponseException("not an HTTP status line: " + line);
        }
        int sp2 = line.indexOf(' ', sp1 + 1);
        String codeText = sp2 < 0 ? line.substring(sp1 + 1) : line.substring(sp1 + 1, sp2);
        String reason = sp2 < 0 ? "" : line.substring(sp2 + 1);
        int code;
        try {
            code = Integer.parseInt(codeText.trim());
        } catch (NumberFormatException e) {
            throw new MalformedResponseException("not an HTTP status line: " + line);
        }
        HttpVersion version = HttpVersion.valueOf(line.substring(0, sp1));
        return new DefaultHttpResponse(version, HttpResponseStatus.valueOf(code, reason), HEADERS);
    }

    private void header(ByteBuf line, HttpHeaders headers) {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        char first = text.charAt(0);
        if ((first == ' ' || first == '\t') && lastHeaderName != null) {
            // an obsolete folded line continues the previous header's value
            java.util.List<String> values = headers.getAll(lastHeaderName);
            values.set(values.size() - 1, values.get(values.size() - 1) + " " + text.trim());
            headers.set(lastHeaderName, values);
            return;
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new MalformedResponseException("not a header line: " + text);
        }
        lastHeaderName = text.substring(0, colon).trim();
        headers.add(lastHeaderName, text.substring(colon + 1).trim());
    }

    private static long chunkSize(ByteBuf line) {
        long size = 0;
        int digits = 0;
        for (int i = line.readerIndex(); i < line.writerIndex(); i++) {
            byte b = line.getByte(i);
            int d = Character.digit(b, 16);
            if (d < 0) {
                if (b == ';' || b == ' ' || b == '\t') {
                    break;
                }
                throw new MalformedResponseException("bad chunk size");
            }
            size = size * 16 + d;
            if (++digits > 15) {
                throw new MalformedResponseException("chunk size too large");
            }
        }
        if (digits == 0) {
            throw new MalformedResponseException("bad chunk size");
        }
        return size;
    }
}
