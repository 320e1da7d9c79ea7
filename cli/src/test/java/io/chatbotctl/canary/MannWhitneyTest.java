package io.chatbotctl.canary;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.RealParts;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MannWhitneyTest {

    /**
     * Against mann_whitney_reference.py: R's wilcox.test algorithm written out by brute force in plain Python
     * (exact distribution by recursion, all m·n differences sorted, the normal interval by bisection on R's wdiff).
     */
    @Test
    void matchesTheIndependentPythonReference() throws Exception {
        RealParts.require("/usr/bin/python3", "apt-get install -y python3");
        Process python = new ProcessBuilder("/usr/bin/python3",
                Repository.file("cli/src/test/resources/canary/mann_whitney_reference.py").toString())
                .redirectErrorStream(true).start();
        String json = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.waitFor(), json);
        JsonNode cases = Json.mapper().readTree(json);
        assertTrue(cases.size() >= 10);
        for (JsonNode c : cases) {
            double[] canary = Json.mapper().convertValue(c.get("canary"), double[].class);
            double[] stable = Json.mapper().convertValue(c.get("stable"), double[].class);
            MannWhitneyResult r = MannWhitney.test(canary, stable, 0.98);
            String what = canary.length + "x" + stable.length + " " + c.get("method").asText();
            assertEquals(c.get("method").asText(), r.method(), what);
            assertEquals(c.get("u").asDouble(), r.u(), 1e-9, what + " U");
            assertEquals(c.get("p").asDouble(), r.pValue(), 1e-9 * Math.max(1, 1 / c.get("p").asDouble()), what + " p");
            assertEquals(c.get("estimate").asDouble(), r.estimate(), 1e-9, what + " estimate");
            assertEquals(c.get("lower").asDouble(), r.lowerConfidence(), 1e-9, what + " lower");
            assertEquals(c.get("upper").asDouble(), r.upperConfidence(), 1e-9, what + " upper");
        }
    }

    /** R's ?wilcox.test example: W = 35, one-sided p = 0.1272, so two-sided 0.2544 (exact). */
    @Test
    void rDocumentationExample() {
        double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
        double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
        MannWhitneyResult r = MannWhitney.test(x, y, 0.98);
        assertEquals(35, r.u());
        assertEquals(0.2544, r.pValue(), 5e-5);
        assertEquals("exact", r.method());
    }

    /**
     * Published by ClickHouse's test 01560_mann_whitney (values from scipy.stats.mannwhitneyu, continuity-corrected,
     * tie-corrected normal approximation): U = 223, p = 0.5426959774289482.
     */
    @Test
    void tiedSamplesUseTheCorrectedNormalApproximation() {
        double[] left = {310, 195, 530, 155, 530, 245, 385, 450, 465, 545, 170, 180, 125, 180, 230, 75, 430, 480, 495, 295};
        double[] right = {116, 171, 176, 421, 111, 326, 481, 111, 346, 441, 261, 411, 206, 521, 456, 446, 296, 51, 426, 261};
        MannWhitneyResult r = MannWhitney.test(left, right, 0.98);
        assertEquals("normal", r.method());
        assertEquals(223, r.u());
        assertEquals(0.5426959774289482, r.pValue(), 1e-12);
    }

    /** Hand-checked: every canary value above every stable one, 5 and 5: U = 25, p = 2/252; D(2) = 0.2, D(24) = 0.8. */
    @Test
    void tinySamplesClearlyApart() {
        MannWhitneyResult r = MannWhitney.test(new double[]{0.6, 0.7, 0.8, 0.9, 1.0}, new double[]{0.1, 0.2, 0.3, 0.4, 0.5}, 0.98);
        assertEquals(25, r.u());
        assertEquals(2.0 / 252, r.pValue(), 1e-15);
        assertEquals(0.5, r.estimate(), 1e-12);
        assertEquals(0.2, r.lowerConfidence(), 1e-12); // qwilcox(0.01, 5, 5) = 2 (P(U<=2) = 4/252 >= 0.01)
        assertEquals(0.8, r.upperConfidence(), 1e-12);
    }

    /** Three against three can never reach 98%: the interval is the whole range of differences. */
    @Test
    void threeAgainstThreeCannotExcludeZero() {
        MannWhitneyResult r = MannWhitney.test(new double[]{10, 11, 12}, new double[]{1, 2, 3}, 0.98);
        assertEquals(0.1, r.pValue(), 1e-12); // 2 · 1/20
        assertEquals(7, r.lowerConfidence());
        assertEquals(11, r.upperConfidence());
    }

    @Test
    void constantSamplesGiveNoEvidence() {
        MannWhitneyResult same = MannWhitney.test(new double[]{2, 2, 2, 2}, new double[]{2, 2, 2}, 0.98);
        assertEquals(1.0, same.pValue());
        assertEquals(0.0, same.estimate());
        MannWhitneyResult shifted = MannWhitney.test(new double[]{3, 3, 3, 3, 3, 3}, new double[]{2, 2, 2, 2, 2, 2}, 0.98);
        assertEquals("normal", shifted.method()); // ties
        assertEquals(1.0, shifted.estimate());
        assertEquals(1.0, shifted.lowerConfidence());
        assertEquals(1.0, shifted.upperConfidence());
    }

    /** 50 000 against 50 000 values: 2.5·10⁹ pairs would take many seconds quadratically; selection takes well under a second. */
    @Test
    void largeSamplesAreNotQuadratic() {
        Random random = new Random(7);
        double[] canary = random.doubles(50_000).map(v -> v + 0.01).toArray();
        double[] stable = random.doubles(50_000).toArray();
        MannWhitneyResult r = MannWhitney.test(canary, stable, 0.98);
        assertEquals(0.01, r.estimate(), 0.005);
        assertTrue(r.lowerConfidence() < r.estimate() && r.estimate() < r.upperConfidence());
    }

    @Test
    void kthSmallestMatchesBruteForce() {
        Random random = new Random(11);
        double[] x = random.doubles(37).map(v -> Math.round(v * 20) / 20.0).toArray();
        double[] y = random.doubles(23).map(v -> Math.round(v * 20) / 20.0 - 0.3).toArray();
        double[] all = new double[x.length * y.length];
        int i = 0;
        for (double a : x) {
            for (double b : y) {
                all[i++] = a - b;
            }
        }
        java.util.Arrays.sort(all);
        PairwiseDifferences d = new PairwiseDifferences(x, y);
        for (int k = 1; k <= all.length; k++) {
            assertEquals(all[k - 1] + 0.0, d.kthSmallest(k), "k=" + k);
        }
    }
}
