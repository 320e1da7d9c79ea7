package io.chatbotctl.sim;

/**
 * What the simulator itself saw of one request. Times are {@link System#nanoTime()} values of this JVM.
 *
 * @param id                      the response id ({@code chatcmpl-...}), or {@code -} when none was made
 * @param handler                 the route, e.g. {@code /v1/chat/completions}
 * @param stream                  whether the answer was streamed
 * @param arrivalNanos            when the full request had been read
 * @param firstTokenNanos         streams: when the first content chunk had been written to the socket; otherwise
 *                                when the first token was generated; 0 when there was none
 * @param endNanos                when the last byte was written, or the request was aborted
 * @param queueNanos              time spent waiting for a running slot before its first admission (0 if never admitted)
 * @param promptTokens            prompt tokens (template included)
 * @param outputTokens            tokens generated
 * @param status                  the HTTP status answered (499 when the client went away before a non-streamed answer)
 * @param outcome                 {@code stop}, {@code length}, {@code abort} (client went away), {@code disconnect}
 *                                (dropped by {@code --disconnect-rate}), or {@code error}
 * @param preemptions             how often the request was preempted (KV cache full)
 * @param interTokenMicros        the gap before each token after the first, as the simulator generated them
 *                                (microseconds); empty when the request log is off
 */
public record RequestRecord(String id, String handler, boolean stream, long arrivalNanos, long firstTokenNanos,
                            long endNanos, long queueNanos, int promptTokens, int outputTokens, int status, String outcome,
                            int preemptions, int[] interTokenMicros) {

    /** Time to first token in nanoseconds, or -1 when no token was produced. */
    public long ttftNanos() {
        return firstTokenNanos == 0 ? -1 : firstTokenNanos - arrivalNanos;
    }

    public long e2eNanos() {
        return endNanos - arrivalNanos;
    }
}
