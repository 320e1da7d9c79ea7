package io.chatbotctl.openai;

import okio.BufferedSource;

import java.io.IOException;

/**
 * Reads server-sent events straight off the response body, as the HTML standard's event-stream format says:
 * lines end in LF or CRLF; {@code data:} lines of one event are joined with LF; lines starting with {@code :} are
 * comments (keep-alives) and skipped; an event is dispatched at a blank line; an event without data is dropped;
 * a half event at the end of the stream is discarded.
 */
public final class SseReader {
    private final BufferedSource source;
    private int comments;

    public SseReader(BufferedSource source) {
        this.source = source;
    }

    /** The next event, or null when the stream ended. */
    public SseEvent next() throws IOException {
        StringBuilder data = null;
        String type = null;
        String line;
        while ((line = source.readUtf8Line()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(type == null ? "message" : type, data.toString(), System.nanoTime());
                }
                type = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                comments++;
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
            switch (field) {
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                case "event" -> type = value;
                default -> {
                    // id:, retry: and unknown fields carry nothing a completion stream needs
                }
            }
        }
        return null;
    }

    /** Comment lines (keep-alives) skipped so far. */
    public int comments() {
        return comments;
    }
}
