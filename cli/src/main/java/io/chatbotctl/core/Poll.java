package io.chatbotctl.core;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one polling loop: look, and if the answer is not there yet, wait and look again until a deadline. The look at
 * or after the deadline is told it is the last, so it can say what it saw (a timeout message with the counts).
 */
public final class Poll {
    private Poll() {
    }

    /** One look: the answer, or null for "not yet". */
    @FunctionalInterface
    public interface Probe<T, E extends Exception> {
        T look(boolean last) throws E;
    }

    /** Looks every {@code every} for at most {@code timeout}; the answer, or null when the last look found none. */
    public static <T, E extends Exception> T until(Duration timeout, Duration every, Probe<T, E> probe)
            throws E, InterruptedException {
        return until(timeout, () -> every, Sleeper.REAL, probe);
    }

    /** As above, waiting {@code every.get()} between looks (it may change as the probe sees progress). */
    public static <T, E extends Exception> T until(Duration timeout, Supplier<Duration> every, Sleeper sleeper, Probe<T, E> probe)
            throws E, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            boolean last = left <= 0;
            T answer = probe.look(last);
            if (answer != null || last) {
                return answer;
            }
            Duration pause = every.get();
            sleeper.sleep(pause.toNanos() < left ? pause : Duration.ofNanos(left));
        }
    }
}
