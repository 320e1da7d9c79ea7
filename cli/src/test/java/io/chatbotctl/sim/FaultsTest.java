package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.Poll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every fault option, as a client sees it. */
class FaultsTest {
    static SimConfig.Builder fast() {
        return SimConfig.builder().profile("fast").port(0).seed(42L);
    }

    @Test
    void errorRateAnswersTheConfiguredStatusWithAnOpenAiBody() throws Exception {
        for (int status : new int[]{500, 503, 429}) {
            try (Simulator sim = Simulator.start(fast().errorRate(1.0).errorStatus(status).build())) {
                HttpResponse<String> r = SimHttp.post(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 5, true));
                assertEquals(status, r.statusCode());
                JsonNode error = Json.mapper().readTree(r.body()).get("error");
                assertEquals(status, error.get("code").asInt());
                assertTrue(error.get("message").asText().contains("--error-rate"));
                assertTrue(sim.metricsText().contains(
                        "http_requests_total{handler=\"/v1/chat/completions\",method=\"POST\",status=\"" + status / 100
                                + "xx\"} 1.0"), sim.metricsText());
            }
        }
    }

    @Test
    void errorRateFailsAboutThatFraction() throws Exception {
        try (Simulator sim = Simulator.start(fast().errorRate(0.5).build())) {
            int failed = 0;
            for (int i = 0; i < 40; i++) {
                if (SimHttp.post(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 2, false)).statusCode() == 500) {
                    failed++;
                }
            }
            assertTrue(failed >= 8 && failed <= 32, failed + " of 40 failed at --error-rate 50%");
        }
    }

    @Test
    void stallPausesMidStream() throws Exception {
        Duration stall = Duration.ofMillis(300);
        try (Simulator sim = Simulator.start(fast().stallRate(1.0).stall(stall).itl(Duration.ofMillis(2)).build())) {
            SimHttp.Stream s = SimHttp.stream(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 20, true));
            assertEquals(200, s.status());
            assertEquals("[DONE]", s.events().get(s.events().size() - 1).data());
            long longest = 0;
            int at = -1;
            for (int i = 2; i < s.events().size() - 1; i++) {
                long gap = s.events().get(i).nanos() - s.events().get(i - 1).nanos();
                if (gap > longest) {
                    longest = gap;
                    at = i - 1;
                }
            }
            // Each event is stamped when the client reads it: the event before the pause may be read a little late,
            // which shortens the measured gap by that much (observed: 299.05 ms for a 300 ms stall).
            long tolerance = Duration.ofMillis(30).toNanos();
            assertTrue(longest >= stall.toNanos() - tolerance, "longest gap " + longest / 1e6 + " ms, stall is 300 ms");
            assertEquals(10, at, "the pause comes after half of the 20 tokens");
        }
    }

    @Test
    void disconnectDropsTheConnectionMidStream() throws Exception {
        try (Simulator sim = Simulator.start(fast().disconnectRate(1.0).build())) {
            SimHttp.Stream s = SimHttp.stream(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 20, true));
            assertEquals(200, s.status());
            assertNotNull(s.error(), "the stream should end with an I/O error");
            assertTrue(s.events().stream().noneMatch(e -> e.data().equals("[DONE]")));
            // The simulator writes the role chunk and 10 tokens before it closes; the JDK client may report the
            // closed connection before it has handed over every chunk it read, so it sees at most those 11.
            assertTrue(s.events().size() >= 1 && s.events().size() <= 1 + 10, "events: " + s.events().size());
            assertThrows(IOException.class,
                    () -> SimHttp.post(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 20, false)));
            Poll.until(() -> sim.requestLog().size() == 2);
            assertTrue(sim.requestLog().stream().allMatch(r -> r.outcome().equals("disconnect")));
            assertEquals(List.of(10, 10), sim.requestLog().stream().map(RequestRecord::outputTokens).toList(),
                    "half of the 20 tokens, then the connection is dropped");
        }
    }

    @Test
    void startupDelayAnswers503UntilTheModelIsLoaded() throws Exception {
        try (Simulator sim = Simulator.start(fast().startupDelay(Duration.ofMillis(1500)).build())) {
            String health = sim.baseUrl().replace("/v1", "/health");
            assertEquals(503, SimHttp.get(health).statusCode());
            assertEquals(503, SimHttp.post(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 2, false)).statusCode());
            Poll.until(() -> SimHttp.get(health).statusCode() == 200);
            assertEquals(200, SimHttp.post(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 2, false)).statusCode());
        }
    }

    @Test
    void withoutFaultsNothingFails() throws Exception {
        try (Simulator sim = Simulator.start(fast().build())) {
            for (int i = 0; i < 10; i++) {
                SimHttp.Stream s = SimHttp.stream(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 4, true));
                assertEquals(null, s.error());
                assertNotEquals(0, s.events().size());
            }
        }
    }
}
