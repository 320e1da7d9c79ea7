package io.chatbotctl.canary;

import java.util.Arrays;

/**
 * Order statistics of the m·n pairwise differences {@code x[i] - y[j]} without building them.
 *
 * <p>Algorithm: binary search over the difference value with a two-pointer count of the pairs ≤ d on the sorted
 * samples. The search runs over the 64-bit ordering of doubles, so it ends after at most 64 counts and returns
 * exactly the k-th smallest computed difference (the count only steps at differences that occur). Cost:
 * O((m + n) log(m + n)) to sort plus O(64 · (m + n)) to select; memory O(m + n). Never quadratic.
 */
final class PairwiseDifferences {
    private final double[] x;
    private final double[] y;

    /** @param x the first sample, @param y the second; both finite, copied and sorted here. */
    PairwiseDifferences(double[] x, double[] y) {
        this.x = x.clone();
        this.y = y.clone();
        Arrays.sort(this.x);
        Arrays.sort(this.y);
    }

    long size() {
        return (long) x.length * y.length;
    }

    /** The k-th smallest difference, k from 1 to {@link #size()}. */
    double kthSmallest(long k) {
        if (k < 1 || k > size()) {
            throw new IllegalArgumentException("k=" + k + " outside 1.." + size());
        }
        long lo = orderKey(x[0] - y[y.length - 1]);
        long hi = orderKey(x[x.length - 1] - y[0]);
        while (lo < hi) {
            long mid = lo + ((hi - lo) >>> 1);
            if (countAtMost(fromOrderKey(mid)) >= k) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return fromOrderKey(lo) + 0.0; // + 0.0 turns -0.0 into 0.0
    }

    /** The median of all differences: the Hodges–Lehmann estimate of the shift of x against y. */
    double median() {
        long n = size();
        if (n % 2 == 1) {
            return kthSmallest(n / 2 + 1);
        }
        return (kthSmallest(n / 2) + kthSmallest(n / 2 + 1)) / 2;
    }

    /** The number of pairs with {@code x[i] - y[j] <= d}, in O(m + n). */
    long countAtMost(double d) {
        long count = 0;
        int p = 0; // first y index with x[i] - y[p] <= d; never moves back as x[i] grows
        for (double xi : x) {
            while (p < y.length && xi - y[p] > d) {
                p++;
            }
            count += y.length - p;
        }
        return count;
    }

    /** A long whose signed order equals the numeric order of finite doubles. */
    private static long orderKey(double d) {
        long bits = Double.doubleToLongBits(d);
        return bits ^ ((bits >> 63) & 0x7fffffffffffffffL);
    }

    private static double fromOrderKey(long key) {
        return Double.longBitsToDouble(key ^ ((key >> 63) & 0x7fffffffffffffffL));
    }
}
