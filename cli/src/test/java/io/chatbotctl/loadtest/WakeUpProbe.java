package io.chatbotctl.loadtest;

import org.HdrHistogram.Histogram;

import java.util.concurrent.locks.LockSupport;

/**
 * How late this JVM's threads wake up while a test runs (a small jHiccup): a thread asks to sleep 1 ms again and again
 * and records how much longer it slept (µs), corrected for coordinated omission so a stall (a GC pause, a starved CPU)
 * counts for every moment it covered. No client can time events more precisely than its threads are woken, so timing tests add
 * the probe's value at the same percentile to their tolerance. On an idle machine it is about 0.1 ms and the issue's
 * tolerances apply unchanged; on a 2-core machine shared with other builds it can reach tens of milliseconds.
 */
final class WakeUpProbe implements AutoCloseable {
    private final Histogram oversleep = new Histogram(3);
    private final Thread thread;
    private volatile boolean stopped;

    WakeUpProbe() {
        thread = new Thread(() -> {
            while (!stopped) {
                long start = System.nanoTime();
                LockSupport.parkNanos(1_000_000);
                long late = System.nanoTime() - start - 1_000_000;
                synchronized (oversleep) {
                    // as jHiccup does: a 30 ms stall delays every moment in it, not one sample
                    oversleep.recordValueWithExpectedInterval(Math.max(0, late / 1000), 1000);
                }
            }
        }, "wake-up-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** The oversleep at this percentile so far, in milliseconds. */
    double millisAt(double percentile) {
        synchronized (oversleep) {
            return oversleep.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /**
     * The oversleep at the percentile that {@code samples} measurements really report at {@code percentile}: with
     * fewer than 100/(100 − percentile) of them (e.g. 40 at P99), their percentile is their maximum.
     */
    double millisAt(double percentile, long samples) {
        return millisAt(samples * (100 - percentile) / 100 < 1 ? 100 : percentile);
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join();
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "wake-up delay p50 %.3f ms, p99 %.3f ms", millisAt(50), millisAt(99));
    }
}
