package io.chatbotctl.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one retry policy: at most {@code maxAttempts} attempts; before attempt n+1 a pause of
 * {@code firstPause × 2^(n-1)}, capped at {@code maxPause}, of which a random half is dropped (jitter); a server's
 * {@code Retry-After} (seconds or HTTP-date) is waited at least; no pause reaches past {@code deadline} counted from
 * the first attempt: then the last outcome stands.
 *
 * <p>Each attempt says what happened as an {@link Outcome}: done, or worth another try (a failure, or a result such as
 * an HTTP 503 that is returned as it is when no attempt is left). Failures that must not be retried are simply thrown
 * by the attempt.
 */
public record RetryPolicy(int maxAttempts, Duration firstPause, Duration maxPause, Duration deadline,
                          Sleeper sleeper, Clock clock, DoubleSupplier random) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
    }

    public static RetryPolicy of(int maxAttempts, Duration firstPause, Duration maxPause, Duration deadline) {
        return new RetryPolicy(maxAttempts, firstPause, maxPause, deadline, Sleeper.REAL, Clock.systemUTC(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The same policy waiting with {@code sleeper} and reading time from {@code clock} (tests). */
    public RetryPolicy with(Sleeper sleeper, Clock clock) {
        return new RetryPolicy(maxAttempts, firstPause, maxPause, deadline, sleeper, clock, random);
    }

    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        /** @param attempt 1 for the first */
        Outcome<T> run(int attempt) throws E;
    }

    /**
     * What one attempt came to.
     *
     * @param retry      whether another attempt may help
     * @param retryAfter the server's {@code Retry-After}, or null
     */
    public record Outcome<T>(T value, Exception failure, boolean retry, Duration retryAfter) {
        public static <T> Outcome<T> done(T value) {
            return new Outcome<>(value, null, false, null);
        }

        /** A failure no other attempt can mend: it is the answer at once. */
        public static <T> Outcome<T> stop(Exception failure) {
            return new Outcome<>(null, failure, false, null);
        }

        /** A result worth another attempt; it is the answer when none is left. */
        public static <T> Outcome<T> retry(T value, Duration retryAfter) {
            return new Outcome<>(value, null, true, retryAfter);
        }

        /** A failure worth another attempt; it is the answer when none is left. */
        public static <T> Outcome<T> failed(Exception failure, Duration retryAfter) {
            return new Outcome<>(null, failure, true, retryAfter);
        }
    }

    /** The last outcome's value or failure, and how many attempts were made. */
    public record Result<T>(T value, Exception failure, int attempts) {
    }

    /** Runs attempts until one is done, or none is left, or the next pause would pass the deadline. */
    public <T, E extends Exception> Result<T> run(Attempt<T, E> attempt) throws E, InterruptedException {
        Instant start = clock.instant();
        for (int n = 1; ; n++) {
            Outcome<T> outcome = attempt.run(n);
            if (!outcome.retry() || n >= maxAttempts) {
                return new Result<>(outcome.value(), outcome.failure(), n);
            }
            Duration pause = pause(n, outcome.retryAfter());
            Duration elapsed = Duration.between(start, clock.instant());
            if (elapsed.plus(pause).compareTo(deadline) > 0) {
                return new Result<>(outcome.value(), outcome.failure(), n);
            }
            sleeper.sleep(pause);
        }
    }

    /** The pause after the {@code failedAttempts}-th failure: backoff with jitter, at least the server's wish. */
    Duration pause(int failedAttempts, Duration retryAfter) {
        long cap = maxPause.toNanos();
        long backoff = Math.min(cap, firstPause.toNanos() << Math.min(failedAttempts - 1, 30));
        if (backoff < 0) {
            backoff = cap;
        }
        long jittered = backoff / 2 + (long) (random.getAsDouble() * (backoff / 2));
        Duration pause = Duration.ofNanos(jittered);
        return retryAfter != null && retryAfter.compareTo(pause) > 0 ? retryAfter : pause;
    }

    /**
     * An HTTP {@code Retry-After} value (RFC 9110 10.2.3): a number of seconds or an HTTP-date; null when absent or
     * unreadable, zero for a date in the past.
     */
    public static Duration retryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }
}
