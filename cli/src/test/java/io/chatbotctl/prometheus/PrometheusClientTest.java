package io.chatbotctl.prometheus;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.prometheus.LocalPrometheus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the real Prometheus server, scraping itself. */
class PrometheusClientTest {

    @Test
    void instantAndRangeQueriesAgainstTheRealServer() throws Exception {
        int port = FreePorts.next();
        // One Prometheus serves its own /metrics as the target a second one scrapes.
        try (LocalPrometheus prom = LocalPrometheus.start(List.of())) {
            String self = prom.url().substring("http://".length());
            try (LocalPrometheus scraping = LocalPrometheus.start(List.of(
                    new LocalPrometheus.Target(self, Map.of("track", "stable"))))) {
                scraping.awaitTargetsUp(Duration.ofSeconds(20));
                PrometheusClient client = new PrometheusClient(scraping.url(), Duration.ofSeconds(5));
                List<Sample> up = client.query("up{track=\"stable\"}", Instant.now());
                assertEquals(1, up.size());
                assertEquals(1.0, up.get(0).value());
                assertEquals("stable", up.get(0).labels().get("track"));

                assertEquals(42.0, client.query("scalar(vector(42))", Instant.now()).get(0).value());

                Instant now = Instant.now();
                List<Series> series = client.queryRange("up", now.minusSeconds(5), now, Duration.ofSeconds(1));
                assertEquals(1, series.size());
                assertFalse(series.get(0).points().isEmpty());

                InvalidInputException bad = assertThrows(InvalidInputException.class,
                        () -> client.query("rate(up[", Instant.now()));
                assertTrue(bad.getMessage().contains("bad_data"), bad.getMessage());
            }
        }
        ExternalSystemException down = assertThrows(ExternalSystemException.class,
                () -> new PrometheusClient("http://127.0.0.1:" + port, Duration.ofSeconds(2)).query("up", Instant.now()));
        assertEquals(4, down.exitCode());
        assertTrue(down.getMessage().startsWith("cannot reach Prometheus at http://127.0.0.1:" + port), down.getMessage());
    }
}
