package io.chatbotctl.eval;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdsTest {

    @Test
    void theProjectsThresholdsParse() {
        Thresholds t = Thresholds.load(Repository.file("evals/thresholds.yaml"));
        assertEquals(0.9, t.minPassRate(), 1e-12);
        assertEquals(1.0, t.categories().get("prompt_injection"));
        assertEquals(Duration.ofSeconds(5), t.maxLatencyP95());
        assertEquals(0.05, t.maxInfraErrorRate(), 1e-12);
        assertEquals(2, t.maxFlips());
        assertTrue(t.criticalMustPass());
        assertEquals(9, t.categories().size());
        Thresholds.load(Repository.file("evals/thresholds-smoke.yaml"));
    }

    @Test
    void defaultsAndErrors() throws Exception {
        Thresholds empty = Thresholds.parse(Json.yaml().readTree("min_pass_rate: 0.8\n"), "t.yaml");
        assertTrue(empty.criticalMustPass());
        assertEquals(1, empty.minCases());
        assertEquals(0.05, empty.significance());
        InvalidInputException unknown = assertThrows(InvalidInputException.class,
                () -> Thresholds.parse(Json.yaml().readTree("min_passrate: 0.8\n"), "t.yaml"));
        assertTrue(unknown.getMessage().contains(": min_passrate: unknown field (known: "), unknown.getMessage());
        InvalidInputException rate = assertThrows(InvalidInputException.class,
                () -> Thresholds.parse(Json.yaml().readTree("categories:\n  refund: 120%\n"), "t.yaml"));
        assertTrue(rate.getMessage().contains("categories.refund"), rate.getMessage());
        assertThrows(InvalidInputException.class,
                () -> Thresholds.parse(Json.yaml().readTree("baseline:\n  max_flip: 1\n"), "t.yaml"));
    }
}
