package io.chatbotctl.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.Json;
import io.chatbotctl.core.Progress;
import io.chatbotctl.sim.SimulatorDemoStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyDemoStepTest {
    @Test
    void shows401And429WithHeadersAndTheAccessLog(@TempDir Path dir) throws Exception {
        List<String> shown = new ArrayList<>();
        Progress progress = new Progress() {
            @Override
            public void update(String line) {
            }

            @Override
            public void log(String line) {
                shown.add(line);
            }
        };
        try (DemoContext context = new DemoContext(dir, dir, progress)) {
            new SimulatorDemoStep().run(context);
            String summary = new ProxyDemoStep().run(context);
            assertTrue(summary.contains("401") && summary.contains("429"), summary);
        }
        String all = String.join("\n", shown);
        assertTrue(all.contains("x-ratelimit-remaining-requests=0"), all);
        List<String> log = Files.readAllLines(dir.resolve("proxy-access.log"));
        assertEquals(5, log.size(), log.toString());
        List<Integer> statuses = new ArrayList<>();
        for (String line : log) {
            JsonNode n = Json.mapper().readTree(line);
            statuses.add(n.path("status").asInt());
        }
        assertEquals(List.of(401, 200, 200, 429, 200), statuses);
        assertTrue(all.contains("access log: {"), all);
    }
}
