package io.chatbotctl.eval;

import io.chatbotctl.core.RetryPolicy;
import io.chatbotctl.openai.OpenAiException;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries calls that failed for infrastructure reasons (HTTP 429 and 5xx, connection refused or lost, time-outs)
 * with the house's {@link RetryPolicy}: backoff from {@code base}, at most {@link #MAX_PAUSE} between attempts, the
 * server's {@code Retry-After} honoured, all within {@link #DEADLINE}. Other failures (a 400, a malformed answer) are
 * not retried.
 *
 * @param retries how many times to try again after the first attempt
 * @param base    the first pause
 */
public record Retrier(int retries, Duration base, RetryPolicy policy) {
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    static final Duration DEADLINE = Duration.ofMinutes(2);

    public Retrier(int retries, Duration base) {
        this(retries, base, RetryPolicy.of(retries + 1, base, MAX_PAUSE, DEADLINE));
    }

    /** The value, or the last failure, and how many attempts it took. */
    public record Attempted<T>(T value, OpenAiException failure, int attempts) {
    }

    public <T> T call(Supplier<T> call) {
        Attempted<T> result = attempt(call);
        if (result.failure() != null) {
            throw result.failure();
        }
        return result.value();
    }

    public <T> Attempted<T> attempt(Supplier<T> call) {
        try {
            RetryPolicy.Result<T> result = policy.run(n -> {
                try {
                    return RetryPolicy.Outcome.done(call.get());
                } catch (OpenAiException e) {
                    if (!retryable(e)) {
                        return RetryPolicy.Outcome.stop(e);
                    }
                    return RetryPolicy.Outcome.failed(e, e.retryAfter());
                }
            });
            return new Attempted<>(result.value(), (OpenAiException) result.failure(), result.attempts());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenAiException(OpenAiException.Kind.ERROR_EVENT, 0, "interrupted while waiting to retry", e);
        }
    }

    static boolean retryable(OpenAiException e) {
        return switch (e.kind()) {
            case HTTP_STATUS -> e.status() == 429 || e.status() >= 500;
            case CONNECT, TIMEOUT, CONNECTION_LOST -> true;
            default -> false;
        };
    }
}
