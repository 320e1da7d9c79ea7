package io.chatbotctl.sim;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram with fixed upper bounds; observations from any thread. */
final class Histogram {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double... bounds) {
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void observe(double value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        if (i < bounds.length) {
            counts[i].increment();
        }
        count.increment();
        sum.add(value);
    }

    long count() {
        return count.sum();
    }

    double sum() {
        return sum.sum();
    }

    /** Appends the {@code _bucket}, {@code _sum} and {@code _count} lines; {@code labels} is e.g. {@code model_name="m"}, or empty. */
    void render(StringBuilder out, String name, String labels) {
        long total = count.sum();
        double s = sum.sum();
        long cumulative = 0;
        String prefix = labels.isEmpty() ? "" : labels + ",";
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].sum();
            out.append(name).append("_bucket{").append(prefix).append("le=\"").append(bounds[i]).append("\"} ")
                    .append(Math.min(cumulative, total)).append(".0\n");
        }
        out.append(name).append("_bucket{").append(prefix).append("le=\"+Inf\"} ").append(total).append(".0\n");
        out.append(name).append("_count").append(braces).append(' ').append(total).append(".0\n");
        out.append(name).append("_sum").append(braces).append(' ').append(s).append('\n');
    }
}
