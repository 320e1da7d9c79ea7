package io.chatbotctl.canary;

/**
 * The standard normal distribution: CDF and quantile. Errors are absolute, about 1e-16: a probability is computed as
 * {@code 0.5 + s}, so a tail probability near 1e-16 or smaller carries no correct digits. That is all the judge needs
 * (it compares p-values with levels such as 0.02 and takes quantiles between 0.001 and 0.999).
 */
final class Normal {
    private Normal() {}

    /**
     * P(Z ≤ x). Marsaglia's Taylor series (J. Stat. Software 11(4), 2004): absolute error about 1e-16 for |x| < 8.5;
     * relative accuracy is lost in the lower tail (e.g. cdf(-8) ≈ 6.2e-16 has an error of the same order).
     */
    static double cdf(double x) {
        if (x < -8.5) {
            return 0.0;
        }
        if (x > 8.5) {
            return 1.0;
        }
        double sum = x;
        double term = x;
        double x2 = x * x;
        for (int i = 3; sum + term != sum; i += 2) {
            term = term * x2 / i;
            sum += term;
        }
        return 0.5 + sum * Math.exp(-0.5 * x2 - 0.91893853320467274178);
    }

    /** The upper-tail probability P(Z > x), as cdf(-x): the same absolute accuracy, no better in the far tail. */
    static double upperTail(double x) {
        return cdf(-x);
    }

    /** The x with P(Z ≤ x) = p: Acklam's rational approximation refined by one Halley step on {@link #cdf}. */
    static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1): " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double x;
        if (p < 0.02425) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p <= 1 - 0.02425) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double e = cdf(x) - p;
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }
}
