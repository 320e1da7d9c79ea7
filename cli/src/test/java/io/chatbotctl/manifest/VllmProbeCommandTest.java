package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The exec probe the rendered Deployment gives vLLM (it listens on loopback, out of kubelet's reach), run with the real
 * python3 against a server written for the test: it passes on a 200 from /health, and fails with one readable line
 * (the probe event's message) on a 503 and on a closed port.
 */
class VllmProbeCommandTest {
    private static final String PYTHON = "/usr/bin/python3";

    private static List<String> command(String probe) {
        RenderedManifests production = ManifestRenderer.render(Repository.file("manifests/overlays/production"), RenderOptions.none());
        JsonNode vllm = production.find("Deployment", "vllm-chatbot").orElseThrow()
                .at("/spec/template/spec/containers").get(0);
        assertEquals("vllm", vllm.path("name").asText());
        List<String> command = new ArrayList<>();
        vllm.path(probe).path("exec").path("command").forEach(w -> command.add(w.asText()));
        assertEquals(3, command.size(), probe + ": " + command);
        return command;
    }

    private record Run(int exit, String output) {}

    private static Run run(List<String> command, int port) throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail("python3 is not installed: apt-get install -y python3");
        }
        List<String> local = new ArrayList<>(command);
        local.set(0, PYTHON);
        local.set(2, local.get(2).replace("127.0.0.1:8000", "127.0.0.1:" + port));
        Process p = new ProcessBuilder(local).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the probe did not finish");
        }
        return new Run(p.exitValue(), out.strip());
    }

    @Test
    void startupReadinessAndLivenessAskTheSameHealth() {
        List<String> readiness = command("readinessProbe");
        assertEquals("python3", readiness.get(0));
        assertTrue(readiness.get(2).contains("http://127.0.0.1:8000/health"), readiness.get(2));
        assertEquals(readiness, command("startupProbe"));
        assertEquals(readiness, command("livenessProbe"));
    }

    @Test
    void passesOnAHealthyServerAndFailsInOneLineOtherwise() throws Exception {
        List<String> probe = command("livenessProbe");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int[] status = {200};
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            Run healthy = run(probe, port);
            assertEquals(0, healthy.exit(), healthy.output());

            status[0] = 503;
            Run unhealthy = run(probe, port);
            assertEquals(1, unhealthy.exit(), unhealthy.output());
            assertEquals(1, unhealthy.output().lines().count(), unhealthy.output());
            assertTrue(unhealthy.output().startsWith("vLLM /health on 127.0.0.1:" + port + ": HTTP Error 503"), unhealthy.output());
        } finally {
            server.stop(0);
        }
        int closed = FreePorts.next();
        Run down = run(probe, closed);
        assertEquals(1, down.exit(), down.output());
        assertEquals(1, down.output().lines().count(), down.output());
        assertTrue(down.output().startsWith("vLLM /health on 127.0.0.1:" + closed + ": <urlopen error"), down.output());
    }
}
