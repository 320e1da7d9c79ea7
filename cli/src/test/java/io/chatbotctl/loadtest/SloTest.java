package io.chatbotctl.loadtest;

import io.chatbotctl.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The SLO forms the docs and cd.yml write parse; a metric name with a digit (e2e) included. */
class SloTest {
    @Test
    void theFormsCdYmlWritesParse() {
        assertEquals(new Slo("e2e.p95<=10s", "e2e", "p95", "<=", 10_000), Slo.parse("e2e.p95<=10s"));
        assertEquals(new Slo("ttft.p99<=2s", "ttft", "p99", "<=", 2_000), Slo.parse("ttft.p99<=2s"));
        assertEquals(new Slo("itl.p99<=100ms", "itl", "p99", "<=", 100), Slo.parse("itl.p99<=100ms"));
        assertEquals(new Slo("e2e_service.p50<1s", "e2e_service", "p50", "<", 1_000), Slo.parse("e2e_service.p50<1s"));
        assertEquals(new Slo("error_rate<=1%", "error_rate", null, "<=", 0.01), Slo.parse("error_rate<=1%"));
    }

    @Test
    void anUnknownMetricIsBadInput() {
        assertThrows(InvalidInputException.class, () -> Slo.parse("e3e.p95<=1s"));
        assertThrows(InvalidInputException.class, () -> Slo.parse("2e.p95<=1s"));
    }
}
