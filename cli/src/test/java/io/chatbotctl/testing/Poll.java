package io.chatbotctl.testing;

/** Waiting for something another thread or process does soon, without asserting on how soon. */
public final class Poll {
    private Poll() {}

    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns once {@code condition} holds; fails the test after 10 s. Checks every 20 ms. */
    public static void until(Condition condition) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
