package io.chatbotctl.sim;

import java.util.function.LongConsumer;

/** Where a generation's tokens go: SSE chunks as they come, or one JSON body at the end. Used on the event loop. */
interface Sink {
    /** Adds one token (JSON-escaped text); {@code finishReason} is set on the last one. */
    void token(String escaped, String finishReason);

    /** Sends what was added; {@code written} gets the nanoTime when the first token reached the socket. */
    void flush(LongConsumer firstTokenWritten);

    /** Ends the response; {@code written} gets the nanoTime when its last byte reached the socket. */
    void finish(int promptTokens, int outputTokens, LongConsumer written);
}
