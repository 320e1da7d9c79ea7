package io.chatbotctl.loadtest;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.testing.FreePorts;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadTestEngineTest {

    @Test
    void closedLoopMeasuresInjectedTtftAndItl() throws Exception {
        try (SseTestServer server = new SseTestServer(80, 20, 6, true)) {
            LoadTestResult result = LoadTest.run(LoadTestConfig.builder(server.baseUrl()).concurrency(4)
                    .requests(40).warmupRequests(4).metricsUrl("").build(), Progress.NONE);
            assertEquals(40, result.results().succeeded(), result.toTable().render());
            assertEquals(44, server.requests.get());
            assertWithin(80, result.results().latencies().get("ttft").p50Ms());
            assertNotBelow(80, result.results().latencies().get("ttft").minMs());
            assertWithin(20, result.results().latencies().get("itl").p50Ms());
            assertWithin(20, result.results().latencies().get("tpot").p50Ms());
            assertEquals(40 * 6, result.results().outputTokens());
            assertEquals("usage", result.results().outputTokensSource());
            assertEquals("test-model", result.configuration().model());
            assertNull(result.generator().scheduleLag());
            assertEquals("VALID", result.status());
        }
    }

    @Test
    void tokensAreCountedAndFlaggedWhenTheServerSendsNoUsage() throws Exception {
        try (SseTestServer server = new SseTestServer(5, 1, 3, false)) {
            LoadTestResult result = LoadTest.run(LoadTestConfig.builder(server.baseUrl()).model("m").concurrency(2)
                    .requests(10).metricsUrl("").build(), Progress.NONE);
            assertEquals(30, result.results().outputTokens());
            assertEquals("counted", result.results().outputTokensSource());
        }
    }

    @Test
    void unreachableEndpointIsAnExternalFailure() {
        String url = "http://127.0.0.1:" + FreePorts.next() + "/v1";
        ExternalSystemException e = assertThrows(ExternalSystemException.class, () -> LoadTest.run(
                LoadTestConfig.builder(url).model("m").concurrency(2).requests(50).metricsUrl("").build(), Progress.NONE));
        assertTrue(e.getMessage().contains("cannot reach"), e.getMessage());
        assertEquals(4, e.exitCode());
    }

    /** Nothing can arrive before the server sends it: a lower bound that holds however busy the machine is. */
    static void assertNotBelow(double injectedMs, double measuredMs) {
        assertTrue(measuredMs >= injectedMs - 0.5, "measured " + measuredMs + " ms, below the injected " + injectedMs + " ms");
    }

    /** Loose on purpose: this server shares 2 busy cores; the ±2 ms + 1% accuracy test runs against the simulator. */
    static void assertWithin(double expectedMs, double actualMs) {
        double tolerance = 8 + expectedMs * 0.05;
        assertTrue(Math.abs(actualMs - expectedMs) <= tolerance,
                "expected " + expectedMs + " ms ± " + tolerance + " ms, measured " + actualMs + " ms");
    }

}
