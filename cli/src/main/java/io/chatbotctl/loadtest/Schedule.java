package io.chatbotctl.loadtest;

import java.util.SplittableRandom;

/**
 * The open loop's send times, as offsets from the run's start on an absolute schedule (computed from the start,
 * never from the previous send, so delays do not accumulate). Arrivals are laid out in "expected count" space
 * (the k-th constant arrival at {@code k}, Poisson arrivals at cumulative Exp(1) draws) and mapped to time through
 * the inverse of the cumulative rate, which rises linearly to {@code rate} over the ramp-up.
 */
final class Schedule {
    private final double ratePerNano;
    private final double rampNanos;
    private final boolean poisson;
    private final SplittableRandom random;
    private double count;
    private boolean started;

    Schedule(double ratePerSecond, Arrival arrival, long rampUpNanos, long seed) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.rampNanos = rampUpNanos;
        this.poisson = arrival == Arrival.POISSON;
        this.random = new SplittableRandom(seed);
    }

    /** The next arrival's offset from the start, in nanoseconds. */
    long next() {
        if (started) {
            count += poisson ? -Math.log(1.0 - random.nextDouble()) : 1.0;
        }
        started = true;
        return offset(count);
    }

    private long offset(double expectedCount) {
        double rampCount = ratePerNano * rampNanos / 2;
        if (rampNanos > 0 && expectedCount < rampCount) {
            return (long) Math.sqrt(2 * rampNanos * expectedCount / ratePerNano);
        }
        return (long) (rampNanos + (expectedCount - rampCount) / ratePerNano);
    }
}
