package io.chatbotctl.openai;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Server-sent events parsed from bytes as they arrive, in whatever pieces the network delivers them, as the HTML
 * standard's event-stream format says: lines end in LF or CRLF; {@code data:} lines of one event are joined with LF;
 * lines starting with {@code :} are comments (keep-alives) and skipped; an event is dispatched at a blank line; an
 * event without data is dropped; a half event at the end of the stream is never dispatched. The event's data is
 * handed over as bytes (valid until the handler returns), so a JSON parser can read it without a String in between.
 */
public final class SseParser {
    /** Receives each complete event. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param type  the {@code event:} field, or null when absent ({@code message})
         * @param data  the joined data lines; only {@code [0, length)} is valid, and only until this call returns
         * @param nanos the time given with the bytes that completed the event
         */
        void onEvent(String type, byte[] data, int length, long nanos);
    }

    private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final Handler handler;
    private byte[] line = new byte[512];
    private int lineLength;
    private byte[] data = new byte[512];
    private int dataLength;
    private boolean hasData;
    private String type;
    private int comments;

    public SseParser(Handler handler) {
        this.handler = handler;
    }

    /** Parses {@code bytes[offset, offset + length)}; events completed by them are dispatched with {@code nanos}. */
    public void feed(byte[] bytes, int offset, int length, long nanos) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i - start);
                endOfLine(nanos);
                start = i + 1;
            }
        }
        append(bytes, start, end - start);
    }

    /** Comment lines (keep-alives) skipped so far. */
    public int comments() {
        return comments;
    }

    private void append(byte[] bytes, int from, int length) {
        if (length == 0) {
            return;
        }
        if (lineLength + length > line.length) {
            if (lineLength + length > MAX_LINE_BYTES) {
                throw new OpenAiException(OpenAiException.Kind.MALFORMED_STREAM, 0,
                        "an event-stream line longer than " + MAX_LINE_BYTES + " bytes", null);
            }
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(bytes, from, line, lineLength, length);
        lineLength += length;
    }

    private void endOfLine(long nanos) {
        int n = lineLength;
        lineLength = 0;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            if (hasData) {
                String eventType = type;
                int length = dataLength;
                hasData = false;
                dataLength = 0;
                type = null;
                handler.onEvent(eventType, data, length, nanos);
            } else {
                type = null;
            }
            return;
        }
        if (line[0] == ':') {
            comments++;
            return;
        }
        int colon = indexOf(line, n, (byte) ':');
        int valueStart = colon < 0 ? n : colon + 1 < n && line[colon + 1] == ' ' ? colon + 2 : colon + 1;
        int fieldLength = colon < 0 ? n : colon;
        if (is(line, fieldLength, DATA)) {
            if (hasData) {
                appendData(new byte[] {'\n'}, 0, 1);
            }
            hasData = true;
            appendData(line, valueStart, n - valueStart);
        } else if (is(line, fieldLength, EVENT)) {
            type = new String(line, valueStart, n - valueStart, StandardCharsets.UTF_8);
        }
        // id:, retry: and unknown fields carry nothing a completion stream needs
    }

    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};

    private void appendData(byte[] bytes, int from, int length) {
        if (dataLength + length > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + length));
        }
        System.arraycopy(bytes, from, data, dataLength, length);
        dataLength += length;
    }

    private static boolean is(byte[] bytes, int length, byte[] word) {
        return length == word.length && Arrays.equals(bytes, 0, length, word, 0, length);
    }

    private static int indexOf(byte[] bytes, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
