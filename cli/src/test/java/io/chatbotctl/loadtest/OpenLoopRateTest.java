package io.chatbotctl.loadtest;

import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The open-loop acceptance: {@code --rate 200 --arrival constant} for 30 s achieves 200 req/s within 2%. */
class OpenLoopRateTest {
    @TempDir
    Path dir;

    @Test
    void constantTwoHundredPerSecondForThirtySeconds() throws Exception {
        try (Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).seed(1L).build())) {
            CliRunner.Result r = new CliRunner().workingDir(dir).run("loadtest", "--endpoint", sim.baseUrl(),
                    "--rate", "200", "--arrival", "constant", "--duration", "30s", "--max-tokens", "8",
                    "--max-schedule-lag", "1s", "--out", "rate.json");
            assertEquals(0, r.exitCode(), r.toString());
            JsonNode report = Json.mapper().readTree(dir.resolve("rate.json").toFile());
            double achieved = report.path("generator").path("achievedRate").asDouble();
            double completed = report.path("results").path("requestsPerSecond").asDouble();
            System.out.printf("open loop 200/s constant: sent %.2f req/s, completed %.2f req/s, %d requests, lag p99 %.3f ms%n",
                    achieved, completed, report.path("results").path("requests").asLong(),
                    report.path("generator").path("scheduleLag").path("p99Ms").asDouble());
            assertEquals(200, achieved, 4, r.out());
            assertEquals(200, completed, 4, r.out());
            assertEquals(6000, report.path("results").path("requests").asLong());
            assertEquals(0, report.path("results").path("failed").asLong(), r.out());
        }
    }
}
