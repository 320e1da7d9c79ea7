#!/usr/bin/python3
"""Reference values for MannWhitneyTest, computed independently of the Java code, in plain Python (no scipy).

Follows R's wilcox.test(x, y, conf.int=TRUE, conf.level=0.98) literally and by brute force:
- exact (both samples < 50, no ties): the null distribution of U by the recursion
  c(u; m, n) = c(u - n; m - 1, n) + c(u; m, n - 1); the interval from all m*n differences, sorted;
- normal approximation: tie-corrected variance, continuity correction 1/2; the interval by bisection on R's
  wdiff(d) (the standardised statistic of x - d against y, ranks recomputed at every d), to 1e-12;
- the estimate is the median of all m*n differences.
Prints JSON: a list of cases with inputs and expected outputs.
"""
import json
import math
import random
import statistics
from functools import lru_cache

CONF = 0.98


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    ties = 0.0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        t = j - i + 1
        ties += t ** 3 - t
        i = j + 1
    return r, ties


def phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


def norm_quantile(p):
    lo, hi = -40.0, 40.0
    for _ in range(90):
        mid = (lo + hi) / 2
        if phi(mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@lru_cache(maxsize=None)
def count(u, m, n):
    if u < 0:
        return 0
    if m == 0 or n == 0:
        return 1 if u == 0 else 0
    return count(u - n, m - 1, n) + count(u, m, n - 1)


def pwilcox(q, m, n):
    total = math.comb(m + n, m)
    return sum(count(u, m, n) for u in range(0, int(q) + 1)) / total


def qwilcox(p, m, n):
    total = math.comb(m + n, m)
    acc = 0
    for u in range(0, m * n + 1):
        acc += count(u, m, n)
        if acc / total >= p * (1 - 1e-12):
            return u
    return m * n


def reference(x, y):
    m, n = len(x), len(y)
    r, ties = ranks(x + y)
    w = sum(r[:m]) - m * (m + 1) / 2
    diffs = sorted(a - b for a in x for b in y)
    alpha = 1 - CONF
    estimate = statistics.median(diffs)
    if m < 50 and n < 50 and ties == 0:
        p = (1 - pwilcox(w - 1, m, n)) if w > m * n / 2 else pwilcox(w, m, n)
        p = min(1.0, 2 * p)
        qu = qwilcox(alpha / 2, m, n)
        if qu == 0:
            qu = 1
        ql = m * n - qu
        return dict(method="exact", u=w, p=p, estimate=estimate, lower=diffs[qu - 1], upper=diffs[ql])
    z = w - m * n / 2
    sigma = math.sqrt(m * n / 12 * ((m + n + 1) - ties / ((m + n) * (m + n - 1))))
    z = (z - math.copysign(0.5, z) if z != 0 else 0) / sigma
    p = min(1.0, 2 * (1 - phi(abs(z))) if abs(z) < 5 else 2 * phi(-abs(z)))

    def wdiff(d, zq):
        dr, t = ranks([a - d for a in x] + y)
        dz = sum(dr[:m]) - m * (m + 1) / 2 - m * n / 2
        corr = (0.5 if dz > 0 else -0.5 if dz < 0 else 0)
        s = math.sqrt(m * n / 12 * ((m + n + 1) - t / ((m + n) * (m + n - 1))))
        return (dz - corr) / s - zq

    mumin, mumax = min(x) - max(y), max(x) - min(y)

    def root(zq):
        if wdiff(mumin, zq) <= 0:
            return mumin
        if wdiff(mumax, zq) >= 0:
            return mumax
        lo, hi = mumin, mumax
        for _ in range(90):
            mid = (lo + hi) / 2
            if wdiff(mid, zq) > 0:
                lo = mid
            else:
                hi = mid
        return hi

    zq = norm_quantile(1 - alpha / 2)
    return dict(method="normal", u=w, p=p, estimate=estimate, lower=root(zq), upper=root(-zq))


def main():
    rnd = random.Random(20261125)
    cases = []
    # R's documentation example (?wilcox.test): exact, W = 35
    cases.append(([0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46], [1.15, 0.88, 0.90, 0.74, 1.21]))
    # tiny samples
    cases.append(([3.0, 4.0], [1.0, 2.0, 5.0]))
    cases.append(([0.1, 0.2, 0.3, 0.4, 0.5], [0.6, 0.7, 0.8, 0.9, 1.0]))
    for size_x, size_y, shift, ties in [(8, 9, 0.0, False), (12, 10, 0.3, False), (30, 30, 0.1, False),
                                        (20, 25, 0.5, True), (60, 55, 0.2, False), (80, 80, 0.0, True),
                                        (49, 49, 0.05, False), (50, 40, 1.0, True), (200, 150, 0.15, False)]:
        def draw(k, s):
            vals = [rnd.lognormvariate(0, 0.4) + s for _ in range(k)]
            return [round(v, 1) for v in vals] if ties else vals
        cases.append((draw(size_x, shift), draw(size_y, 0.0)))
    out = []
    for x, y in cases:
        expected = reference(x, y)
        out.append(dict(canary=x, stable=y, **expected))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
