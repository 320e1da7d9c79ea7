package io.chatbotctl.core;

import io.chatbotctl.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one retry policy, on a fake clock that the sleeper advances. */
class RetryPolicyTest {
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    final List<Duration> pauses = new ArrayList<>();
    final MutableClock clock = new MutableClock(T0);
    final Sleeper sleeper = d -> {
        pauses.add(d);
        clock.advance(d);
    };

    RetryPolicy policy(int attempts, double random, Duration deadline) {
        return new RetryPolicy(attempts, Duration.ofSeconds(1), Duration.ofSeconds(5), deadline, sleeper, clock, () -> random);
    }

    @Test
    void backsOffExponentiallyWithJitterUpToTheCapAndGivesTheLastFailure() throws Exception {
        IOException last = new IOException("down");
        RetryPolicy.Result<String> result = policy(5, 1.0, Duration.ofMinutes(1))
                .run(n -> RetryPolicy.Outcome.failed(n == 5 ? last : new IOException("down " + n), null));
        assertEquals(5, result.attempts());
        assertSame(last, result.failure());
        assertEquals(List.of(1000L, 2000L, 4000L, 5000L), pauses.stream().map(Duration::toMillis).toList());

        pauses.clear();
        policy(4, 0, Duration.ofMinutes(1)).run(n -> RetryPolicy.Outcome.failed(new IOException(), null));
        assertEquals(List.of(500L, 1000L, 2000L), pauses.stream().map(Duration::toMillis).toList(), "jitter drops at most half");
    }

    @Test
    void stopsAtTheFirstSuccessAndAtAFailureNoAttemptCanMend() throws Exception {
        RetryPolicy.Result<String> ok = policy(4, 0.5, Duration.ofMinutes(1))
                .run(n -> n < 3 ? RetryPolicy.Outcome.failed(new IOException(), null) : RetryPolicy.Outcome.done("ok"));
        assertEquals("ok", ok.value());
        assertEquals(3, ok.attempts());

        IllegalStateException fatal = new IllegalStateException("400");
        RetryPolicy.Result<String> stopped = policy(4, 0.5, Duration.ofMinutes(1)).run(n -> RetryPolicy.Outcome.stop(fatal));
        assertEquals(1, stopped.attempts());
        assertSame(fatal, stopped.failure());

        assertThrows(IOException.class, () -> policy(4, 0.5, Duration.ofMinutes(1)).run(n -> {
            throw new IOException("thrown by the attempt: not retried");
        }));
    }

    @Test
    void aRetriedResultIsTheAnswerWhenNoAttemptIsLeft() throws Exception {
        RetryPolicy.Result<Integer> result = policy(3, 0.5, Duration.ofMinutes(1)).run(n -> RetryPolicy.Outcome.retry(500 + n, null));
        assertEquals(503, result.value());
        assertNull(result.failure());
        assertEquals(2, pauses.size());
    }

    @Test
    void honoursRetryAfterAboveTheBackoff() throws Exception {
        policy(2, 0.5, Duration.ofMinutes(1)).run(n -> RetryPolicy.Outcome.failed(new IOException("429"), Duration.ofSeconds(20)));
        assertEquals(List.of(Duration.ofSeconds(20)), pauses, "Retry-After wins over the 5 s cap");
    }

    @Test
    void neverPausesPastTheDeadline() throws Exception {
        RetryPolicy.Result<String> result = policy(10, 1.0, Duration.ofSeconds(8)).run(n -> {
            clock.advance(Duration.ofSeconds(1));   // each attempt takes a second
            return RetryPolicy.Outcome.failed(new IOException("slow"), null);
        });
        // attempt 1 (1 s) + pause 1 s, attempt 2 (3 s) + 2 s, attempt 3 (6 s): a 4 s pause would end at 10 s > 8 s
        assertEquals(3, result.attempts());
        assertEquals(List.of(1000L, 2000L), pauses.stream().map(Duration::toMillis).toList());

        pauses.clear();
        RetryPolicy.Result<String> tooLong = policy(10, 0.5, Duration.ofSeconds(30))
                .run(n -> RetryPolicy.Outcome.failed(new IOException("429"), Duration.ofMinutes(5)));
        assertEquals(1, tooLong.attempts(), "a Retry-After beyond the deadline ends the attempts at once");
        assertEquals(List.of(), pauses);
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        assertEquals(Duration.ofSeconds(120), RetryPolicy.retryAfter("120", clock));
        assertEquals(Duration.ofSeconds(90), RetryPolicy.retryAfter("Sun, 06 Dec 2026 10:01:30 GMT", clock));
        assertEquals(Duration.ZERO, RetryPolicy.retryAfter("Sun, 06 Dec 2026 09:00:00 GMT", clock), "a past date: now");
        assertNull(RetryPolicy.retryAfter(null, clock));
        assertNull(RetryPolicy.retryAfter("soon", clock));
        assertNull(RetryPolicy.retryAfter("-5", clock));
    }
}
