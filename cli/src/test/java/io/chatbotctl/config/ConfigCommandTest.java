package io.chatbotctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCommandTest {
    @TempDir
    Path dir;

    @Test
    void theRepositoryConfigIsValid() {
        CliRunner.Result r = CliRunner.inRepository().run("config", "validate");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("chatbotctl.yaml: valid (2 environments: staging, production)"), r.out());
    }

    @Test
    void viewPrintsTheResolvedEnvironmentAsJson() throws Exception {
        CliRunner.Result r = CliRunner.inRepository().run("config", "view", "--env", "production", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode env = Json.mapper().readTree(r.out()).path("environments").get(0);
        assertEquals("production", env.path("name").asText());
        assertEquals("ai-serving", env.path("namespace").asText());
        assertTrue(env.path("overlay").asText().endsWith("manifests/overlays/production"), r.out());
    }

    @Test
    void theGatewayBlockIsReadAndChecked() throws Exception {
        CliRunner.Result view = CliRunner.inRepository().run("config", "view", "-o", "json");
        assertEquals("X-Canary", Json.mapper().readTree(view.out()).at("/gateway/canaryHeader").asText(), view.out());
        Files.writeString(dir.resolve("chatbotctl.yaml"), "service: s\ngateway:\n  canaryHeader: \"X Canary\"\n"
                + "environments:\n  staging:\n    namespace: ai-serving\n");
        CliRunner.Result bad = new CliRunner().workingDir(dir).run("config", "validate");
        assertEquals(3, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("chatbotctl.yaml:3: gateway.canaryHeader: 'X Canary' is not an HTTP header name"), bad.err());
        Files.writeString(dir.resolve("chatbotctl.yaml"), "gateway:\n  header: X-Canary\nenvironments:\n  staging: {}\n");
        CliRunner.Result unknown = new CliRunner().workingDir(dir).run("config", "validate");
        assertEquals(3, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("gateway.header: unknown field (known: canaryHeader)"), unknown.err());
    }

    @Test
    void flagBeatsVariableBeatsFile() throws Exception {
        CliRunner runner = CliRunner.inRepository().env("CHATBOTCTL_NAMESPACE", "from-variable")
                .env("CHATBOTCTL_ENV", "staging");
        JsonNode fromVariable = Json.mapper().readTree(runner.run("config", "view", "-o", "json").out());
        assertEquals("from-variable", fromVariable.at("/environments/0/namespace").asText());
        assertEquals("staging", fromVariable.at("/environments/0/name").asText());

        JsonNode fromFlag = Json.mapper().readTree(runner.run("config", "view", "-o", "json", "-n", "from-flag", "--env", "production").out());
        assertEquals("from-flag", fromFlag.at("/environments/0/namespace").asText());
        assertEquals("production", fromFlag.at("/environments/0/name").asText());
    }

    @Test
    void anEmptyNamespaceNamesFileLineAndField() throws IOException {
        Path file = write("""
                service: vllm-chatbot
                environments:
                  staging:
                    namespace: ai-serving
                  production:
                    context: prod
                    namespace: ""
                """);
        CliRunner.Result r = new CliRunner().workingDir(dir).run("config", "validate", "--config", file.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("chatbotctl: error: chatbotctl.yaml:7: environments.production.namespace: must not be empty"), r.err());
        assertEquals(2, r.err().lines().count(), "one line and a hint: " + r.err());
    }

    @Test
    void malformedYamlNamesTheLine() throws IOException {
        write("environments:\n  staging:\n    namespace: [unclosed\n");
        CliRunner.Result r = new CliRunner().workingDir(dir).run("config", "validate");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().matches("(?s)chatbotctl: error: chatbotctl\\.yaml:\\d+: invalid YAML: .*"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void unknownFieldsAndBadUrlsAreNamed() throws IOException {
        write("environments:\n  staging:\n    namespace: ai-serving\n    endpont: http://x\n");
        CliRunner.Result r = new CliRunner().workingDir(dir).run("config", "validate");
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains("chatbotctl.yaml:4: environments.staging.endpont: unknown field"), r.err());

        write("environments:\n  staging:\n    endpoint: ftp://x\n");
        r = new CliRunner().workingDir(dir).run("config", "validate");
        assertTrue(r.err().contains("chatbotctl.yaml:3: environments.staging.endpoint: 'ftp://x' is not an http(s) URL"), r.err());
    }

    /** The server's /metrics is the proxy's metrics port, not the endpoint's host: its own field and variable. */
    @Test
    void metricsUrlIsReadCheckedAndOverridden() throws Exception {
        JsonNode file = Json.mapper().readTree(CliRunner.inRepository().run("config", "view", "--env", "production", "-o", "json").out());
        assertEquals("http://vllm-service.ai-serving.svc:9400/metrics", file.at("/environments/0/metricsUrl").asText());
        JsonNode variable = Json.mapper().readTree(CliRunner.inRepository().env("CHATBOTCTL_METRICS_URL", "http://10.0.0.7:9400/metrics")
                .run("config", "view", "--env", "production", "-o", "json").out());
        assertEquals("http://10.0.0.7:9400/metrics", variable.at("/environments/0/metricsUrl").asText());

        write("environments:\n  staging:\n    metricsUrl: vllm-service:9400\n");
        CliRunner.Result r = new CliRunner().workingDir(dir).run("config", "validate");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("chatbotctl.yaml:3: environments.staging.metricsUrl: 'vllm-service:9400' is not an http(s) URL"), r.err());
    }

    @Test
    void anUnknownEnvironmentListsTheKnownOnes() {
        CliRunner.Result r = CliRunner.inRepository().run("config", "view", "--env", "prod");
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains("no environment 'prod'"), r.err());
        assertTrue(r.err().contains("staging, production"), r.err());
    }

    @Test
    void aMissingConfigFileIsBadInput() {
        CliRunner.Result r = new CliRunner().workingDir(dir).run("config", "view", "--config", "nope.yaml");
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains("config file nope.yaml does not exist"), r.err());
    }

    @Test
    void withoutAFileTheBuiltInDefaultsApply() {
        CliRunner.Result r = new CliRunner().workingDir(dir).run("config", "view");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("(built-in defaults)"), r.out());
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("chatbotctl.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
