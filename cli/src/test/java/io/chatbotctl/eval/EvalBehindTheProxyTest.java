package io.chatbotctl.eval;

import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.FrontDoorServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** eval run against an endpoint behind the proxy: the key from CHATBOTCTL_API_KEY on the model lookup and every case. */
class EvalBehindTheProxyTest {
    @TempDir
    Path dir;

    @AfterEach
    void evictPooledConnections() {
        io.chatbotctl.core.HttpClients.shared().connectionPool().evictAll();
    }

    private Path dataset() throws Exception {
        Path file = dir.resolve("cases.jsonl");
        Files.writeString(file, """
                {"id": "a", "input": "hello", "assert": [{"type": "equals", "value": "ok"}], "metadata": {"category": "c", "severity": "minor"}}
                {"id": "b", "input": "again", "assert": [{"type": "icontains", "value": "ok"}], "metadata": {"category": "c", "severity": "minor"}}
                """);
        return file;
    }

    @Test
    void everyRequestCarriesTheKey() throws Exception {
        try (FrontDoorServer server = new FrontDoorServer("sk-eval")) {
            CliRunner.Result r = new CliRunner().workingDir(dir).env("CHATBOTCTL_API_KEY", "sk-eval")
                    .run("eval", "run", "--endpoint", server.baseUrl(), "--dataset", dataset().toString(), "--no-cache");
            assertEquals(0, r.exitCode(), r.toString());
            List<FrontDoorServer.Seen> seen = server.apiRequests();
            assertTrue(seen.stream().anyMatch(s -> s.requestLine().equals("GET /v1/models")), seen.toString());
            assertEquals(2, seen.stream().filter(s -> s.requestLine().equals("POST /v1/chat/completions")).count(), seen.toString());
            assertTrue(seen.stream().allMatch(s -> "Bearer sk-eval".equals(s.authorization())), seen.toString());
        }
    }

    @Test
    void aWrongKeyIsAnExternalFailureNamingThe401() throws Exception {
        try (FrontDoorServer server = new FrontDoorServer("sk-eval")) {
            CliRunner.Result r = new CliRunner().workingDir(dir).env("CHATBOTCTL_API_KEY", "sk-wrong")
                    .run("eval", "run", "--endpoint", server.baseUrl(), "--dataset", dataset().toString(), "--no-cache",
                            "--retries", "0");
            assertEquals(4, r.exitCode(), r.toString());
            assertTrue(r.err().contains("401"), r.err());
        }
    }
}
