package io.chatbotctl.testing;

import java.time.Duration;

/** Waiting for something another thread or process does soon, without asserting on how soon (core.Poll's loop). */
public final class Poll {
    private Poll() {}

    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns once {@code condition} holds; fails the test after 10 s. Checks every 20 ms. */
    public static void until(Condition condition) throws Exception {
        if (io.chatbotctl.core.Poll.until(Duration.ofSeconds(10), Duration.ofMillis(20),
                last -> condition.holds() ? Boolean.TRUE : null) == null) {
            throw new AssertionError("condition not met within 10 s");
        }
    }
}
