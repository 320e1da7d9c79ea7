package io.chatbotctl.canary;

/**
 * The exact null distribution of the Mann–Whitney U statistic for samples of sizes m and n without ties.
 * The number of arrangements with U = u is the coefficient of q^u in the Gaussian binomial
 * [m+n choose m]_q = ∏_{i=1..m} (1 - q^(n+i)) / (1 - q^i), built here by polynomial multiplication and division:
 * O(m · m·n) work, used only for small samples (both under {@link MannWhitney#EXACT_LIMIT}).
 */
final class WilcoxonDistribution {
    private final double[] cumulative; // cumulative[u] = P(U <= u)

    WilcoxonDistribution(int m, int n) {
        int max = m * n;
        double[] counts = new double[max + 1];
        counts[0] = 1;
        for (int i = 1; i <= m; i++) {
            int up = n + i;
            for (int u = max; u >= up; u--) { // multiply by (1 - q^(n+i))
                counts[u] -= counts[u - up];
            }
            for (int u = i; u <= max; u++) { // divide by (1 - q^i)
                counts[u] += counts[u - i];
            }
        }
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        cumulative = new double[max + 1];
        double running = 0;
        for (int u = 0; u <= max; u++) {
            running += counts[u];
            cumulative[u] = running / total;
        }
    }

    /** P(U ≤ u). */
    double cdf(long u) {
        if (u < 0) {
            return 0;
        }
        return u >= cumulative.length ? 1 : cumulative[(int) u];
    }

    /** The smallest u with P(U ≤ u) ≥ p (R's {@code qwilcox}). */
    long quantile(double p) {
        for (int u = 0; u < cumulative.length; u++) {
            if (cumulative[u] >= p * (1 - 64 * Math.ulp(1.0))) {
                return u;
            }
        }
        return cumulative.length - 1;
    }
}
