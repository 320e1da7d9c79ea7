package io.chatbotctl.eval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The statistics of the gate: percentiles, the Wilson score interval and McNemar's exact test. */
public final class Statistics {
    /** z for a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    private Statistics() {}

    /** Nearest-rank percentile (p in 0..100) of the values; null for no values. */
    public static Double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** Lower bound of the Wilson score interval for {@code successes} of {@code n} at the given z; 0 for n = 0. */
    public static double wilsonLowerBound(int successes, int n, double z) {
        if (n == 0) {
            return 0;
        }
        double p = (double) successes / n;
        double z2 = z * z;
        double centre = p + z2 / (2.0 * n);
        double margin = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.max(0, (centre - margin) / (1 + z2 / n));
    }

    /**
     * McNemar's exact test: the two-sided binomial p-value of the discordant pairs, {@code b} pass→fail and
     * {@code c} fail→pass, under H0 that either flip is equally likely:
     * {@code p = min(1, 2 * sum_{i=0}^{min(b,c)} C(b+c, i) / 2^(b+c))}; 1 when there are no discordant pairs.
     * Exact in BigInteger arithmetic, so large counts lose no precision.
     */
    public static double mcNemarExactP(int b, int c) {
        int n = b + c;
        if (n == 0) {
            return 1;
        }
        int k = Math.min(b, c);
        BigInteger tail = BigInteger.ZERO;
        BigInteger choose = BigInteger.ONE;
        for (int i = 0; i <= k; i++) {
            if (i > 0) {
                choose = choose.multiply(BigInteger.valueOf(n - i + 1)).divide(BigInteger.valueOf(i));
            }
            tail = tail.add(choose);
        }
        BigDecimal p = new BigDecimal(tail.shiftLeft(1)).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL64);
        return Math.min(1.0, p.doubleValue());
    }
}
