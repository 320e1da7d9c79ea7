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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code chatbotctl render} through the real command line. */
class RenderCommandTest {

    @Test
    void rendersTheEnvironmentsOverlayExactlyAsKubectl() throws Exception {
        CliRunner.Result result = CliRunner.inRepository().run("render", "--env", "production");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(Kubectl.kustomizeText(Repository.file("manifests/overlays/production")), result.out());
        assertEquals("", result.err());
    }

    @Test
    void jsonOutputIsAListInTheSameOrder() throws Exception {
        CliRunner.Result result = CliRunner.inRepository().run("render", "--env", "staging", "-o", "json");
        assertEquals(0, result.exitCode(), result.toString());
        JsonNode list = Json.mapper().readTree(result.out());
        assertTrue(list.isArray());
        assertEquals(Kubectl.kustomize(Repository.file("manifests/overlays/staging")).size(), list.size());
        assertEquals("Namespace", list.get(0).path("kind").asText());
    }

    @Test
    void imageAndSettingsOverrides() {
        CliRunner.Result result = CliRunner.inRepository().run("render", "--env", "production",
                "--image", "registry.example.com/vllm-openai:v0.11.0", "--set", "MAX_NUM_SEQS=96");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("image: registry.example.com/vllm-openai:v0.11.0"), result.out());
        assertTrue(result.out().contains("MAX_NUM_SEQS: \"96\""), result.out());
        CliRunner.Result tagOnly = CliRunner.inRepository().run("render", "--env", "production", "--image", ":v0.11.1");
        assertTrue(tagOnly.out().contains("image: 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/vllm-openai:v0.11.1"), tagOnly.out());
    }

    @Test
    void unknownSettingIsBadInput() {
        CliRunner.Result result = CliRunner.inRepository().run("render", "--env", "production", "--set", "MAX_SEQS=96");
        assertEquals(3, result.exitCode(), result.toString());
        assertTrue(result.err().contains("ConfigMap vllm-config has no key MAX_SEQS"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void rendersADirectoryRelativeToTheWorkingDirectory() {
        CliRunner.Result result = CliRunner.inRepository().run("render", "--dir", "cli/src/test/resources/kustomize-corpus/09-replicas");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("name: x-web"), result.out());
    }

    @Test
    void unsupportedFieldIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\nhelmCharts:\n- name: x\n");
        CliRunner.Result result = new CliRunner().workingDir(dir).run("render", "--dir", ".");
        assertEquals(3, result.exitCode(), result.toString());
        assertTrue(result.err().contains("kustomization field 'helmCharts' is not supported"), result.err());
        assertFalse(result.err().contains("Exception"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void helpListsTheOptions() {
        CliRunner.Result result = new CliRunner().run("render", "--help");
        assertEquals(0, result.exitCode(), result.toString());
        for (String option : new String[]{"--dir", "--image", "--set", "--env"}) {
            assertTrue(result.out().contains(option), result.out());
        }
        assertEquals(0, new CliRunner().run("lint", "--help").exitCode());
    }

    @Test
    void noEnvironmentIsAnError() {
        CliRunner.Result result = CliRunner.inRepository().run("render");
        assertTrue(result.exitCode() != 0, result.toString());
        assertTrue(result.err().contains("chatbotctl: error:"), result.err());
    }

    @Test
    void missingDirectoryIsBadInput(@TempDir Path dir) {
        CliRunner.Result result = new CliRunner().workingDir(dir).run("render", "--dir", "nowhere");
        assertEquals(3, result.exitCode(), result.toString());
        assertTrue(result.err().contains("no kustomization.yaml in"), result.err());
    }
}
