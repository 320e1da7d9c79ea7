package io.chatbotctl.canary;

import io.chatbotctl.testing.FrontDoorServer;
import io.chatbotctl.testing.Poll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canary's background traffic through the proxy: every request carries the API key. */
class BackgroundLoadTest {

    @Test
    void everyRequestCarriesTheKey() throws Exception {
        try (FrontDoorServer server = new FrontDoorServer("sk-canary")) {
            try (BackgroundLoad load = new BackgroundLoad(server.baseUrl(), "sk-canary", FrontDoorServer.MODEL, 20, 2)) {
                Poll.until(() -> load.requests() >= 2 || load.failure() != null);
                assertNull(load.failure());
            }
            List<FrontDoorServer.Seen> seen = server.apiRequests();
            assertTrue(seen.size() >= 2, seen.toString());
            assertTrue(seen.stream().allMatch(s -> s.requestLine().equals("POST /v1/chat/completions")
                    && "Bearer sk-canary".equals(s.authorization())), seen.toString());
        }
    }

    @Test
    void withoutAKeyNoneIsSent() throws Exception {
        try (FrontDoorServer server = new FrontDoorServer("sk-canary");
             BackgroundLoad load = new BackgroundLoad(server.baseUrl(), null, FrontDoorServer.MODEL, 20, 2)) {
            Poll.until(() -> !server.apiRequests().isEmpty());
            assertTrue(server.apiRequests().stream().allMatch(s -> s.authorization() == null));
        }
    }
}
