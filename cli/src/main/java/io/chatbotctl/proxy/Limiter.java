package io.chatbotctl.proxy;

import java.util.concurrent.CompletableFuture;

/** Requests per minute, tokens per minute and concurrent requests per key, in fixed one-minute windows. */
interface Limiter extends AutoCloseable {
    /** Counts the request against {@code estimatedTokens} when every limit has room; else names the limit hit. */
    CompletableFuture<Decision> admit(ApiKey key, long estimatedTokens, String requestId);

    /** The request ended: replaces its estimate by {@code actualTokens} and frees its concurrency slot. */
    void settle(Decision admitted, long actualTokens, String requestId);

    @Override
    default void close() {
    }
}
