package io.chatbotctl.eval;

import io.chatbotctl.openai.OpenAiException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries calls that failed for infrastructure reasons (HTTP 429 and 5xx, connection refused or lost, time-outs)
 * with exponential backoff and jitter: {@code base * 2^attempt}, at most {@code 30s}. Other failures (a 400, a
 * malformed answer) are not retried.
 *
 * @param retries how many times to try again after the first attempt
 * @param base    the first pause
 */
public record Retrier(int retries, Duration base) {
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);

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
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return new Attempted<>(call.get(), null, attempt);
            } catch (OpenAiException e) {
                if (!retryable(e) || attempt > retries) {
                    return new Attempted<>(null, e, attempt);
                }
                pause(attempt);
            }
        }
    }

    static boolean retryable(OpenAiException e) {
        return switch (e.kind()) {
            case HTTP_STATUS -> e.status() == 429 || e.status() >= 500;
            case CONNECT, TIMEOUT, CONNECTION_LOST -> true;
            default -> false;
        };
    }

    private void pause(int attempt) {
        long millis = Math.min(MAX_PAUSE.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        millis = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenAiException(OpenAiException.Kind.ERROR_EVENT, 0, "interrupted while waiting to retry", e);
        }
    }
}
