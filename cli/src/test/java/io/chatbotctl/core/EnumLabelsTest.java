package io.chatbotctl.core;

import io.chatbotctl.canary.Direction;
import io.chatbotctl.canary.MetricClass;
import io.chatbotctl.canary.Outcome;
import io.chatbotctl.manifest.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Renaming enum constants to UPPER_SNAKE kept the documented JSON spellings, both ways. */
class EnumLabelsTest {
    @Test
    void jsonShowsAndReadsTheDocumentedSpelling() throws Exception {
        Map<String, Object> values = Map.of("a", MetricClass.NO_DATA, "b", Outcome.ROLLED_BACK, "c", Severity.ERROR,
                "d", Direction.DECREASE);
        String json = Json.mapper().writeValueAsString(new java.util.TreeMap<>(values));
        assertEquals("{\"a\":\"NoData\",\"b\":\"RolledBack\",\"c\":\"error\",\"d\":\"decrease\"}", json);
        assertEquals(MetricClass.NO_DATA, Json.mapper().readValue("\"NoData\"", MetricClass.class));
        assertEquals(Severity.WARNING, Json.mapper().readValue("\"warning\"", Severity.class));
        assertEquals("Pass", MetricClass.PASS.toString());
        assertEquals(Direction.INCREASE, Direction.of("increase"));
    }
}
