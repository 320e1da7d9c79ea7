package io.chatbotctl.modelsync;

/** {@code --max-bandwidth}: each request waits until the bytes before it fit in the budget. 0 means unlimited. */
final class Bandwidth {
    private final long bytesPerSecond;
    private long nextFreeNanos;

    Bandwidth(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    void acquire(long bytes) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            if (nextFreeNanos < now) {
                nextFreeNanos = now;
            }
            waitNanos = nextFreeNanos - now;
            nextFreeNanos += (long) (bytes * 1e9 / bytesPerSecond);
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }
}
