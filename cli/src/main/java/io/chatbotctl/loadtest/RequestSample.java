package io.chatbotctl.loadtest;

/**
 * One request as the generator saw it, for callers that want every request rather than histograms
 * ({@link LoadTestConfig#observer()}). Times are {@link System#nanoTime()}.
 *
 * @param id                the response id from the stream ({@code chatcmpl-…}), or null when it failed before one
 * @param measured          false for warmup requests
 * @param intendedNanos     when the schedule meant to send it (closed loop: equal to {@code sentNanos})
 * @param sentNanos         when it was sent
 * @param firstContentNanos when the first chunk with content arrived; 0 when none did
 * @param endNanos          when it ended ({@code [DONE]} or the failure)
 * @param outputTokens      output tokens (usage, else counted chunks); 0 on failure
 * @param error             the error kind ({@code http_503}, {@code timeout}, …), or null on success
 */
public record RequestSample(String id, boolean measured, long intendedNanos, long sentNanos, long firstContentNanos,
                            long endNanos, int outputTokens, String error) {

    /** Sees every request as it ends, on the generator's event-loop thread: keep it quick (no blocking). */
    @FunctionalInterface
    public interface Observer {
        void onRequest(RequestSample sample);

        Observer NONE = sample -> {};
    }
}
