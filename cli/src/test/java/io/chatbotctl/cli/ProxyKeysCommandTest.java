package io.chatbotctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyKeysCommandTest {
    @Test
    void createPrintsTheKeyOnceAndStoresOnlyItsHash(@TempDir Path dir) throws Exception {
        CliRunner cli = new CliRunner().workingDir(dir);
        CliRunner.Result created = cli.run("-o", "json", "proxy", "keys", "create", "web", "--rpm", "60", "--tpm", "1000",
                "--max-concurrency", "4", "--keys", "keys.yaml");
        assertEquals(0, created.exitCode(), created.toString());
        String key = Json.mapper().readTree(created.out()).path("key").asText();
        assertTrue(key.startsWith("cbk-") && key.length() > 40, key);
        String file = Files.readString(dir.resolve("keys.yaml"));
        assertFalse(file.contains(key), file);
        assertTrue(file.contains("hash: sha256:") && file.contains("rpm: 60") && file.contains("maxConcurrency: 4"), file);

        CliRunner.Result again = cli.run("proxy", "keys", "create", "web", "--keys", "keys.yaml");
        assertEquals(3, again.exitCode(), again.toString());

        CliRunner.Result revoked = cli.run("proxy", "keys", "revoke", "web", "--keys", "keys.yaml");
        assertEquals(0, revoked.exitCode(), revoked.toString());
        CliRunner.Result list = cli.run("-o", "json", "proxy", "keys", "list", "--keys", "keys.yaml");
        JsonNode web = Json.mapper().readTree(list.out()).get(0);
        assertEquals("web", web.path("name").asText());
        assertTrue(web.path("revoked").asBoolean());
        assertFalse(list.out().contains("sha256"), list.out());

        CliRunner.Result unknown = cli.run("proxy", "keys", "revoke", "nobody", "--keys", "keys.yaml");
        assertEquals(3, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("no key named 'nobody'"), unknown.err());
    }

    @Test
    void theProxyWithoutAKeysFileSaysHowToMakeOne(@TempDir Path dir) {
        CliRunner.Result r = new CliRunner().workingDir(dir).run("proxy", "--upstream", "http://127.0.0.1:1");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("no keys file given") && r.err().contains("CHATBOTCTL_PROXY_KEYS"), r.err());
    }
}
