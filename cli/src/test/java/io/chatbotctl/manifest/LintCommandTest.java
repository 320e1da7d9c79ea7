package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code chatbotctl lint} through the real command line: table, JSON, exit codes. */
class LintCommandTest {

    @Test
    void productionPassesWithATable() {
        CliRunner.Result result = CliRunner.inRepository().run("lint", "--env", "production");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith("SEVERITY  CHECK"), result.out());
        assertTrue(result.out().contains("model-fits"), result.out());
        // The shipped overlays' one warning: a KV cache for fewer than max-num-seqs full-length sequences (short chats share it).
        assertTrue(result.out().contains("0 error(s), 1 warning(s)"), result.out());
    }

    @Test
    void jsonReportIsStable() throws Exception {
        CliRunner.Result result = CliRunner.inRepository().run("lint", "--env", "staging", "-o", "json");
        assertEquals(0, result.exitCode(), result.toString());
        JsonNode report = Json.mapper().readTree(result.out());
        assertEquals(0, report.path("errors").asInt());
        assertTrue(report.path("source").asText().endsWith("manifests/overlays/staging"));
        JsonNode first = report.path("findings").get(0);
        for (String field : new String[]{"check", "severity", "object", "message"}) {
            assertTrue(first.has(field), first.toString());
        }
    }

    @Test
    void anOverlayThatBreaksAChecksExitsOne(@TempDir Path dir) throws Exception {
        Path production = Repository.file("manifests/overlays/production");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources:
                - %s
                patches:
                - target:
                    kind: Deployment
                    name: vllm-chatbot
                  patch: |-
                    - op: replace
                      path: /spec/strategy/rollingUpdate/maxUnavailable
                      value: 1
                """.formatted(dir.relativize(production)));
        CliRunner.Result result = new CliRunner().workingDir(dir).run("lint", "--dir", ".", "--set", "DTYPE=float32", "--set", "QUANTIZATION=none");
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.out().contains("error     max-unavailable-zero"), result.out());
        assertTrue(result.out().contains("error     model-fits"), result.out());
        assertTrue(result.out().contains("2 error(s)"), result.out());
    }

    @Test
    void lintOfABrokenKustomizationIsBadInput(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n- missing.yaml\n");
        CliRunner.Result result = new CliRunner().workingDir(dir).run("lint", "--dir", ".");
        assertEquals(3, result.exitCode(), result.toString());
        assertTrue(result.err().contains("resource 'missing.yaml' does not exist"), result.err());
    }
}
