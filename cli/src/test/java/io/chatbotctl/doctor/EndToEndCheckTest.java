package io.chatbotctl.doctor;

import io.chatbotctl.proxy.Keys;
import io.chatbotctl.proxy.ProxyOptions;
import io.chatbotctl.proxy.ProxyServer;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: one streamed request through the proxy (keys) in front of the simulator, as the Gateway would pass it. */
class EndToEndCheckTest {
    @TempDir
    Path dir;

    private static DoctorRequest request(String endpoint, String key) {
        return new DoctorRequest("test", null, null, null, null, endpoint, key, "llama-3.1-8b-instruct", null, null, null,
                Duration.ofSeconds(10));
    }

    @Test
    void aStreamedAnswerWithTheKeyReportsItsTtftAndAWrongKeyFails() throws Exception {
        Path keys = dir.resolve("keys.yaml");
        String key = Keys.create(keys, "doctor", 0, 0, 0).key();
        try (Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).build());
             ProxyServer proxy = ProxyServer.start(ProxyOptions.resolve(new ProxyOptions.Flags("http://" + sim.target(),
                     "127.0.0.1:0", "127.0.0.1:0", keys, null, null, null, null, null, null, null, null, null, Duration.ofSeconds(5)),
                     null, Map.of(), "llama-3.1-8b-instruct", Path.of(".")), line -> { }, line -> { })) {
            CheckResult ok = EndToEndCheck.run(request(proxy.baseUrl(), key));
            assertEquals(Status.OK, ok.status(), ok.toString());
            assertTrue(ok.evidence().matches("POST .*/v1/chat/completions \\(model llama-3.1-8b-instruct\\): TTFT \\d+ ms, \\d+ content chunk\\(s\\), \\d+ ms to \\[DONE\\]"),
                    ok.evidence());
            Poll.until(() -> !sim.requestLog().isEmpty()); // the simulator logs a request after its last byte
            assertEquals(1, sim.requestLog().size(), "one request reached the model");

            CheckResult refused = EndToEndCheck.run(request(proxy.baseUrl(), "cbk-not-a-key"));
            assertEquals(Status.FAIL, refused.status(), refused.toString());
            assertTrue(refused.fix().contains("the proxy refused CHATBOTCTL_API_KEY"), refused.fix());
        }
    }

    @Test
    void withoutAnEndpointOrAKeyItWarnsWithWhatToSet() {
        CheckResult noEndpoint = EndToEndCheck.run(request(null, "k"));
        assertEquals(Status.WARN, noEndpoint.status());
        assertTrue(noEndpoint.fix().contains("--endpoint"), noEndpoint.fix());
        CheckResult noKey = EndToEndCheck.run(request("http://127.0.0.1:1/v1", null));
        assertEquals(Status.WARN, noKey.status());
        assertTrue(noKey.fix().contains("CHATBOTCTL_API_KEY"), noKey.fix());
        CheckResult closed = EndToEndCheck.run(request("http://127.0.0.1:1/v1", "k"));
        assertEquals(Status.FAIL, closed.status(), closed.toString());
    }
}
