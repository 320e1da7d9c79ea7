package io.chatbotctl.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnitsTest {
    @Test
    void durations() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Durations.parse("5 minutes"));
        assertEquals(3, e.exitCode());
        assertThrows(InvalidInputException.class, () -> Durations.parse("30"));
    }

    @Test
    void sizes() {
        assertEquals(16L * 1024 * 1024, Sizes.parseBytes("16MiB"));
        assertEquals(1_000_000_000L, Sizes.parseBytes("1GB"));
        assertEquals(512L * 1024, Sizes.parseBytes("512k"));
        assertEquals(1024, Sizes.parseBytes("1024"));
        assertEquals("1.5 GiB", Sizes.format(1536L * 1024 * 1024));
        assertThrows(InvalidInputException.class, () -> Sizes.parseBytes("lots"));
    }

    @Test
    void percentages() {
        assertEquals(0.01, Percentages.parseFraction("1%"), 1e-12);
        assertEquals(0.01, Percentages.parseFraction("0.01"), 1e-12);
        assertThrows(InvalidInputException.class, () -> Percentages.parseFraction("150%"));
        assertThrows(InvalidInputException.class, () -> Percentages.parseFraction("x"));
    }
}
