package io.chatbotctl.openai;

/** Sees a stream as it arrives. Times are {@link System#nanoTime()} when the event was read off the socket. */
public interface StreamListener {
    /** The request starts now: it is written next (on a new connection, after connecting, when none is idle). */
    default void onSend(long nanos) {}

    /** The request's bytes were handed to the socket now (after connecting, when a new connection was needed). */
    default void onWritten(long nanos) {}

    /** The response headers arrived with a 2xx status. */
    default void onOpen(long nanos) {}

    /** One chunk (role, content, finish or usage chunk). */
    void onChunk(ChatChunk chunk, long nanos);

    StreamListener NONE = (chunk, nanos) -> {};
}
