package io.chatbotctl.loadtest;

import io.chatbotctl.core.Progress;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every fault the simulator can inject ends up counted under its kind: no request is dropped from the report. */
class SimulatorFaultsTest {

    private static LoadTestResult run(UnaryOperator<SimConfig.Builder> faults, int requests, Duration timeout) {
        try (Simulator sim = Simulator.start(faults.apply(SimConfig.builder().profile(SimProfile.FAST).port(0).seed(3L)).build())) {
            return LoadTest.run(LoadTestConfig.builder(sim.baseUrl()).model(SimConfig.DEFAULT_MODEL).concurrency(4)
                    .requests(requests).maxTokens(16).timeout(timeout).metricsUrl("").build(), Progress.NONE);
        }
    }

    private static void assertAccounted(LoadTestResult r, long requests) {
        assertEquals(requests, r.results().requests(), r.toTable().render());
        assertEquals(requests, r.results().succeeded() + r.results().failed());
        assertEquals(r.results().failed(), r.results().errors().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void httpErrorsAreCountedByStatus() {
        LoadTestResult r = run(b -> b.errorRate(0.3).errorStatus(503), 100, Duration.ofSeconds(10));
        assertAccounted(r, 100);
        assertEquals(java.util.Set.of("http_503"), r.results().errors().keySet(), r.toTable().render());
        assertTrue(r.results().failed() > 5 && r.results().failed() < 60, r.toTable().render());
        assertEquals(r.results().failed() / 100.0, r.results().errorRate(), 1e-9);
    }

    @Test
    void droppedConnectionsAreConnectionLost() {
        LoadTestResult r = run(b -> b.disconnectRate(1.0), 12, Duration.ofSeconds(10));
        assertAccounted(r, 12);
        assertEquals(Map.of("connection_lost", 12L), r.results().errors(), r.toTable().render());
    }

    @Test
    void stallsLongerThanTheTimeoutAreTimeouts() {
        LoadTestResult r = run(b -> b.stallRate(1.0).stall(Duration.ofSeconds(3)), 8, Duration.ofMillis(300));
        assertAccounted(r, 8);
        assertEquals(Map.of("timeout", 8L), r.results().errors(), r.toTable().render());
    }

    @Test
    void aServerStillLoadingAnswers503() {
        LoadTestResult r = run(b -> b.startupDelay(Duration.ofMinutes(1)), 6, Duration.ofSeconds(10));
        assertAccounted(r, 6);
        assertEquals(Map.of("http_503", 6L), r.results().errors(), r.toTable().render());
    }

    @Test
    void errorRateSloFailsTheCommandLine() {
        try (Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).seed(3L).errorRate(0.5).build())) {
            CliRunner.Result res = new CliRunner().run("loadtest", "--endpoint", sim.baseUrl(), "-c", "4", "--requests", "40",
                    "--max-tokens", "8", "--slo", "error_rate<=1%");
            assertEquals(1, res.exitCode(), res.toString());
            assertTrue(res.err().contains("SLO breached: error_rate<=1%"), res.err());
            assertTrue(res.out().contains("Errors: {http_500="), res.out());
        }
    }
}
