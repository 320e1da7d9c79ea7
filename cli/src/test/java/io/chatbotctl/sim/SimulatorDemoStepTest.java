package io.chatbotctl.sim;

import io.chatbotctl.core.Progress;
import io.chatbotctl.core.DemoContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorDemoStepTest {
    @TempDir
    Path dir;

    @Test
    void startsTheFastSimulatorLeavesItsUrlAndClosesItAtTheEnd() throws Exception {
        String endpoint;
        try (DemoContext context = new DemoContext(dir, dir, Progress.NONE)) {
            String summary = new SimulatorDemoStep().run(context);
            endpoint = context.get(DemoContext.ENDPOINT);
            assertTrue(endpoint.matches("http://127\\.0\\.0\\.1:\\d+/v1"), endpoint);
            assertTrue(summary.contains(endpoint) && summary.contains("profile fast"), summary);
            SimHttp.Stream s = SimHttp.stream(endpoint + "/chat/completions", SimHttp.chat("hi", 2, true));
            assertEquals(200, s.status());
        }
        String health = endpoint.replace("/v1", "/health");
        assertThrows(IOException.class, () -> SimHttp.get(health));
    }
}
