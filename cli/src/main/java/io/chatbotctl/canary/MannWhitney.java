package io.chatbotctl.canary;

import java.util.Arrays;

/**
 * The two-sided Mann–Whitney U (Wilcoxon rank-sum) test with the Hodges–Lehmann estimate of the shift and its
 * confidence interval, following R's {@code wilcox.test(x, y, conf.int = TRUE)}, which Kayenta reimplements:
 * <ul>
 *   <li><b>exact</b> when both samples have fewer than {@value #EXACT_LIMIT} values and there are no ties: the p-value
 *       from the exact distribution of U, the interval [D(k), D(mn+1-k)] of the sorted pairwise differences D with
 *       k = qwilcox(α/2) (at least 1);</li>
 *   <li><b>normal</b> otherwise: the p-value from the normal approximation with the tie correction of the variance and
 *       a continuity correction of ½; the interval [D(k), D(mn+1-k)] with k = ⌈mn/2 − ½ − z·σ⌉, where σ carries the
 *       ties within each sample (the ties R's shifted-sample root finding sees), which is where R's {@code uniroot}
 *       search lands up to its tolerance.</li>
 * </ul>
 * The estimate is always the exact median of the pairwise differences canary − stable (R's asymptotic branch
 * approximates it by root finding). Order statistics of the differences come from {@link PairwiseDifferences}
 * in O(n log n); nothing here is quadratic in the sample size.
 */
public final class MannWhitney {
    /** Samples below this size (both) without ties use the exact distribution, as R does. */
    public static final int EXACT_LIMIT = 50;

    private MannWhitney() {}

    /**
     * @param canary          the experiment's values (finite, at least one)
     * @param stable          the control's values (finite, at least one)
     * @param confidenceLevel e.g. 0.98
     */
    public static MannWhitneyResult test(double[] canary, double[] stable, double confidenceLevel) {
        int m = canary.length;
        int n = stable.length;
        if (m == 0 || n == 0) {
            throw new IllegalArgumentException("both samples need values");
        }
        double[] combined = new double[m + n];
        System.arraycopy(canary, 0, combined, 0, m);
        System.arraycopy(stable, 0, combined, m, n);
        Ranks ranks = Ranks.of(combined);
        double rankSum = 0;
        for (double v : canary) {
            rankSum += ranks.rankOf(v);
        }
        double u = rankSum - m * (m + 1) / 2.0;
        long mn = (long) m * n;
        double alpha = 1 - confidenceLevel;
        PairwiseDifferences diffs = new PairwiseDifferences(canary, stable);
        double estimate = diffs.median();

        boolean exact = m < EXACT_LIMIT && n < EXACT_LIMIT && !ranks.hasTies();
        if (exact) {
            WilcoxonDistribution dist = new WilcoxonDistribution(m, n);
            double p = u > mn / 2.0 ? 1 - dist.cdf((long) u - 1) : dist.cdf((long) u);
            long k = Math.max(1, dist.quantile(alpha / 2));
            return new MannWhitneyResult(u, Math.min(1, 2 * p), "exact", estimate,
                    diffs.kthSmallest(k), diffs.kthSmallest(mn + 1 - k), confidenceLevel);
        }
        double z = u - mn / 2.0;
        double sigma = Math.sqrt(mn / 12.0 * ((m + n + 1) - ranks.tieSum() / ((double) (m + n) * (m + n - 1))));
        double p;
        if (sigma == 0) {
            p = 1; // every value tied: no evidence of a shift
        } else {
            z = (z - Math.signum(z) * 0.5) / sigma;
            p = Math.min(1, 2 * Normal.upperTail(Math.abs(z)));
        }
        double sigmaCi = Math.sqrt(mn / 12.0 * ((m + n + 1)
                - (Ranks.of(canary).tieSum() + Ranks.of(stable).tieSum()) / ((double) (m + n) * (m + n - 1))));
        double zq = Normal.quantile(1 - alpha / 2);
        long k = (long) Math.ceil(mn / 2.0 - 0.5 - zq * sigmaCi);
        k = Math.max(1, Math.min(k, mn));
        return new MannWhitneyResult(u, p, "normal", estimate,
                diffs.kthSmallest(k), diffs.kthSmallest(mn + 1 - k), confidenceLevel);
    }

    /** The sorted values and the tie term Σ(t³ − t) over groups of t equal values. */
    record Ranks(double[] sorted, double tieSum) {
        static Ranks of(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double tieSum = 0;
            for (int start = 0; start < sorted.length; ) {
                int end = start;
                while (end + 1 < sorted.length && sorted[end + 1] == sorted[start]) {
                    end++;
                }
                double t = end - start + 1;
                tieSum += t * t * t - t;
                start = end + 1;
            }
            return new Ranks(sorted, tieSum);
        }

        /** The mid-rank (1-based; tied values share their average rank) of a value of the sample. */
        double rankOf(double v) {
            int below = bound(v, false);
            int atMost = bound(v, true);
            return (below + 1 + atMost) / 2.0;
        }

        /** The number of values {@code < v}, or {@code <= v} when {@code inclusive}. */
        private int bound(double v, boolean inclusive) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < v || (inclusive && sorted[mid] == v)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        boolean hasTies() {
            return tieSum > 0;
        }
    }
}
