package io.chatbotctl.loadtest;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram, in milliseconds (recorded in microseconds, 3 significant digits).
 */
public record MetricSummary(long count, double minMs, double meanMs, double p50Ms, double p90Ms, double p95Ms,
                            double p99Ms, double p999Ms, double maxMs) {

    static MetricSummary of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new MetricSummary(0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new MetricSummary(h.getTotalCount(), ms(h.getMinValue()), round(h.getMean() / 1000.0),
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(95)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    /** The statistic named as in an SLO ({@code p99}, {@code mean}, …), in milliseconds. */
    public double statistic(String name) {
        return switch (name) {
            case "p50" -> p50Ms;
            case "p90" -> p90Ms;
            case "p95" -> p95Ms;
            case "p99" -> p99Ms;
            case "p99.9" -> p999Ms;
            case "max" -> maxMs;
            case "mean" -> meanMs;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
