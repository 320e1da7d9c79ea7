package io.chatbotctl.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StatisticsTest {

    @Test
    void mcNemarExactMatchesHandComputedBinomialSums() {
        assertEquals(1.0, Statistics.mcNemarExactP(0, 0));
        // b=3, c=0: 2 * C(3,0)/2^3 = 2/8
        assertEquals(0.25, Statistics.mcNemarExactP(3, 0), 1e-15);
        // b=5, c=1: 2 * (C(6,0) + C(6,1)) / 2^6 = 2 * 7/64 = 0.21875
        assertEquals(0.21875, Statistics.mcNemarExactP(5, 1), 1e-15);
        assertEquals(0.21875, Statistics.mcNemarExactP(1, 5), 1e-15);
        // b=10, c=2: 2 * (1 + 12 + 66) / 4096 = 158/4096
        assertEquals(158.0 / 4096, Statistics.mcNemarExactP(10, 2), 1e-15);
        // balanced: capped at 1
        assertEquals(1.0, Statistics.mcNemarExactP(4, 4));
        // large counts stay exact (2^1000 overflows a double); python3 math.comb gives 2.7284641560660184e-10
        assertEquals(2.7284641560660184e-10, Statistics.mcNemarExactP(600, 400), 1e-20);
    }

    @Test
    void wilsonLowerBoundKnownValues() {
        // 95% Wilson interval of 8/10: (0.4902, 0.9433)
        assertEquals(0.4902, Statistics.wilsonLowerBound(8, 10, Statistics.Z95), 1e-4);
        // 66/66: 0.9450
        assertEquals(0.9450, Statistics.wilsonLowerBound(66, 66, Statistics.Z95), 1e-4);
        assertEquals(0.0, Statistics.wilsonLowerBound(0, 10, Statistics.Z95), 1e-12);
        assertEquals(0.0, Statistics.wilsonLowerBound(0, 0, Statistics.Z95));
    }

    @Test
    void nearestRankPercentiles() {
        List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 9.0, 8.0, 7.0, 6.0);
        assertEquals(5.0, Statistics.percentile(values, 50));
        assertEquals(10.0, Statistics.percentile(values, 95));
        assertEquals(1.0, Statistics.percentile(values, 0));
        assertNull(Statistics.percentile(List.of(), 95));
    }
}
