package io.chatbotctl.proxy;

/**
 * A limiter's answer for one request, and what the {@code x-ratelimit-*} headers say.
 *
 * @param limit             null when admitted, else {@code requests}, {@code tokens} or {@code concurrency}
 * @param requestsUsed      requests counted in the current minute (this one included when admitted)
 * @param tokensUsed        tokens counted in the current minute (estimates of requests still running included)
 * @param window            the minute (epoch millis / 60,000) the request was counted in
 * @param resetMillis       until the current minute's counters start again
 * @param estimatedTokens   what the request was admitted against, settled later with the real count
 * @param shared            counted in Redis (false: this replica's own counters)
 * @param slot              the admission's own name in the shared set of running requests (unique, unlike request
 *                          ids, which clients choose), or null when none was taken
 */
public record Decision(ApiKey key, String limit, long requestsUsed, long tokensUsed, long window, long resetMillis,
                       long estimatedTokens, boolean shared, String slot) {

    public Decision(ApiKey key, String limit, long requestsUsed, long tokensUsed, long window, long resetMillis,
                    long estimatedTokens, boolean shared) {
        this(key, limit, requestsUsed, tokensUsed, window, resetMillis, estimatedTokens, shared, null);
    }

    public boolean admitted() {
        return limit == null;
    }

    public long remainingRequests() {
        return Math.max(0, key.rpm() - requestsUsed);
    }

    public long remainingTokens() {
        return Math.max(0, key.tpm() - tokensUsed);
    }

    /** Whole seconds to wait before a retry can succeed: the rest of the minute, or 1 s for concurrency. */
    public long retryAfterSeconds() {
        return "concurrency".equals(limit) ? 1 : Math.max(1, (resetMillis + 999) / 1000);
    }

    /** OpenAI's reset format: {@code 12ms}, {@code 1s}, {@code 59.5s}. */
    public String resetText() {
        if (resetMillis < 1000) {
            return resetMillis + "ms";
        }
        long tenths = resetMillis / 100;
        return tenths % 10 == 0 ? (tenths / 10) + "s" : (tenths / 10) + "." + (tenths % 10) + "s";
    }
}
