package io.chatbotctl.cost;

import io.chatbotctl.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostEstimatorTest {
    private static final CostInputs PRODUCTION = new CostInputs("g5.2xlarge", 2, 2, 4, true, "overlays/production");

    @Test
    void theOriginalScenario() {
        CostEstimate e = new CostEstimator().estimate(PRODUCTION, PricingLoader.defaults(), 5000, List.of());
        assertEquals("$1,742 + $108 + $72 + $100 + $50 = $2,072 a month, 41.4% of a $5,000 budget", e.summary());
        assertEquals(2072.4, e.totalMonthly(), 1e-9);
        assertFalse(e.overBudget());
    }

    @Test
    void moreReplicasCostMoreAndCanBreakTheBudget() {
        CostEstimate three = new CostEstimator().estimate(new CostInputs("g5.2xlarge", 3, 3, 4, true, "x"),
                PricingLoader.defaults(), 5000, List.of());
        assertEquals(3 * 1.21 * 720 + 1 * 0.36 * 200 + 72 + 150, three.totalMonthly(), 1e-9, "burst capped at max - min = 1");
        CostEstimate overBudget = new CostEstimator().estimate(PRODUCTION, PricingLoader.defaults(), 2000, List.of());
        assertTrue(overBudget.overBudget());
    }

    @Test
    void aSpotOnlyReplicaRunsAroundTheClock() {
        CostEstimate staging = new CostEstimator().estimate(new CostInputs("g5.2xlarge", 0, 1, 1, true, "staging"),
                PricingLoader.defaults(), 5000, List.of());
        assertEquals("$259 + $72 + $100 + $50 = $481 a month, 9.6% of a $5,000 budget", staging.summary());
    }

    @Test
    void aPricingFileChangesTheResult(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pricing.yaml");
        Files.writeString(file, """
                hoursPerMonth: 730
                eksClusterHourly: 0.10
                storageAndNetworkMonthly: 120
                monitoringMonthly: 0
                spotBurst: {hoursPerMonth: 100, averageReplicas: 2}
                instances:
                  g5.2xlarge: {onDemandHourly: 1.0, spotHourly: 0.5}
                """);
        CostEstimate e = new CostEstimator().estimate(PRODUCTION, PricingLoader.load(file), 5000, List.of());
        assertEquals(2 * 1.0 * 730 + 2 * 0.5 * 100 + 73 + 120, e.totalMonthly(), 1e-9);
    }

    @Test
    void badPricingFilesAndUnknownInstancesAreBadInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pricing.yaml");
        Files.writeString(file, "hoursPerMonth: lots\ninstances: {g5.2xlarge: {onDemandHourly: 1, spotHourly: 1}}\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PricingLoader.load(file));
        assertTrue(e.getMessage().contains("hoursPerMonth: must be a number"), e.getMessage());
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> new CostEstimator().estimate(
                new CostInputs("p4d.24xlarge", 1, 1, 1, false, "x"), PricingLoader.defaults(), 5000, List.of()));
        assertTrue(unknown.getMessage().contains("no price for instance type p4d.24xlarge"), unknown.getMessage());
    }
}
