package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code chatbotctl sim} on the command line: bad input, and a real process stopped with SIGTERM. */
class SimCommandTest {
    @TempDir
    Path dir;

    @Test
    void unknownProfileIsBadInput() {
        CliRunner.Result r = new CliRunner().run("sim", "--port", "0", "--profile", "h100");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("chatbotctl: error: unknown simulator profile 'h100'"), r.err());
        assertTrue(r.err().contains("a10g-llama-3.1-8b-awq"), r.err());
    }

    @Test
    void outOfRangeOptionsAreBadInput() {
        CliRunner.Result r = new CliRunner().run("sim", "--port", "0", "--error-status", "404");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--error-status must be 500, 503 or 429"), r.err());
        r = new CliRunner().run("sim", "--port", "0", "--kv-capacity-tokens", "100");
        assertEquals(3, r.exitCode(), r.toString());
        r = new CliRunner().run("sim", "--port", "0", "--output-tokens", "ten");
        assertEquals(3, r.exitCode(), r.toString());
        r = new CliRunner().run("sim", "--port", "0", "--itl", "fast");
        assertEquals(2, r.exitCode(), r.toString());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void badResponsesFileIsBadInput() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), "rules: [{regex: '(', answer: x}]\n");
        CliRunner.Result r = new CliRunner().workingDir(dir).run("sim", "--port", "0", "--responses", "rules.yaml");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("rule 1: invalid regex"), r.err());
    }

    @Test
    void malformedJsonlRuleNamesTheLineWithoutJacksonsSourceNoise() throws Exception {
        Files.writeString(dir.resolve("rules.jsonl"), "{\"contains\": \"x\", \"answer\": \"y\"}\n{\"contains\": \"z\"\n");
        CliRunner.Result r = new CliRunner().workingDir(dir).run("sim", "--port", "0", "--responses", "rules.jsonl");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("chatbotctl: error: " + dir.resolve("rules.jsonl") + ":2: not valid JSON: "), r.err());
        assertFalse(r.err().contains("[Source:"), r.err());
    }

    @Test
    void portInUseIsAnExternalFailure() {
        try (Simulator busy = Simulator.start(SimConfig.builder().profile("fast").port(0).build())) {
            CliRunner.Result r = new CliRunner().run("sim", "--port", Integer.toString(busy.port()));
            assertEquals(4, r.exitCode(), r.toString());
            assertTrue(r.err().contains("cannot listen on 127.0.0.1:" + busy.port()), r.err());
        }
    }

    @Test
    void printsItsUrlServesAndStopsCleanlyOnSigterm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path errFile = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.chatbotctl.cli.Main",
                "sim", "--port", "0", "--profile", "fast", "-o", "json").redirectError(errFile.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder json = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                json.append(line).append('\n');
                if (line.equals("}")) {
                    break;
                }
            }
            JsonNode listening = Json.mapper().readTree(json.toString());
            String url = listening.get("url").asText();
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/v1"), url);
            assertEquals("fast", listening.get("profile").asText());
            assertEquals(200, SimHttp.get(url.replace("/v1", "/health")).statusCode());
            SimHttp.Stream s = SimHttp.stream(url + "/chat/completions", SimHttp.chat("hi", 3, true));
            assertEquals("[DONE]", s.events().get(s.events().size() - 1).data());

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(15, TimeUnit.SECONDS), "the simulator did not stop on SIGTERM");
            String err = Files.readString(errFile);
            assertTrue(err.contains("simulator stopped"), err);
            assertFalse(err.contains("Exception"), err);
            List<String> refused = new ArrayList<>();
            try {
                SimHttp.get(url.replace("/v1", "/health"));
            } catch (java.io.IOException e) {
                refused.add(e.toString());
            }
            assertEquals(1, refused.size(), "the port should be closed");
        } finally {
            p.destroyForcibly();
        }
    }
}
