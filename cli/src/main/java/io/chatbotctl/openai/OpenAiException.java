package io.chatbotctl.openai;

import io.chatbotctl.core.ExternalSystemException;

import java.time.Duration;

/** A request to an OpenAI-compatible endpoint failed; {@link #kind()} says how, for callers that count failures. */
public class OpenAiException extends ExternalSystemException {
    public enum Kind {
        /** Nothing listens, DNS failed, TLS failed: the request never reached the server. */
        CONNECT,
        /** A non-2xx answer; {@link #status()} has the code. */
        HTTP_STATUS,
        /** No data within the read timeout, or the whole call took longer than allowed. */
        TIMEOUT,
        /** The connection dropped, or the stream ended without {@code [DONE]}. */
        CONNECTION_LOST,
        /** An event that is not the JSON of a chunk. */
        MALFORMED_STREAM,
        /** The server sent an error object inside the stream. */
        ERROR_EVENT
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    public OpenAiException(Kind kind, int status, String message, Throwable cause) {
        this(kind, status, message, cause, null);
    }

    /** @param retryAfter the answer's {@code Retry-After}, or null */
    public OpenAiException(Kind kind, int status, String message, Throwable cause, Duration retryAfter) {
        super(message, hint(kind), cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status for {@link Kind#HTTP_STATUS}, else 0. */
    public int status() {
        return status;
    }

    /** How long the server asked to wait before the next request ({@code Retry-After}), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    private static String hint(Kind kind) {
        return switch (kind) {
            case CONNECT -> "check --endpoint (an OpenAI base URL such as http://host:8000/v1) and that the server runs";
            case HTTP_STATUS -> "the server refused the request; see its message above";
            case TIMEOUT -> "the server is slow or stalled; raise --timeout or check its load";
            default -> "the server's stream broke off; check its logs";
        };
    }
}
