package io.chatbotctl.canary;

import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.ProjectFiles;
import io.chatbotctl.testing.Repository;
import io.chatbotctl.testing.RolloutOutcome;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canary commands on the fabric8 mock API server (the analysis itself: CanaryEndToEndTest). */
class CanaryCliTest {
    static final String STABLE = "registry.example.com/vllm-openai:v0.6.0";
    static final String CANARY = "registry.example.com/vllm-openai:v0.6.1";

    @TempDir
    Path dir;
    KubeMockCluster cluster;
    KubernetesClient k;
    int closedPort;

    @BeforeEach
    void deployStable() throws Exception {
        cluster = KubeMockCluster.start(dir);
        cluster.controller().stageDelay(Duration.ofMillis(10)).onEveryRollout(d -> RolloutOutcome.succeed());
        k = cluster.client();
        closedPort = FreePorts.next();
        ProjectFiles.stagingConfig(dir, Repository.file("manifests/overlays/staging"),
                "    prometheus: http://127.0.0.1:" + closedPort + "\n");
        CliRunner.Result deploy = run("deploy", "--env", "staging", "--image", STABLE, "--timeout", "60s");
        assertEquals(0, deploy.exitCode(), deploy.toString());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    CliRunner.Result run(String... args) {
        return cluster.cli().workingDir(dir).run(args);
    }

    CliRunner.Result start() {
        return run("canary", "start", "--env", "staging", "--image", CANARY, "--weight", "5", "--timeout", "30s");
    }

    @Test
    void startStatusAbort() {
        CliRunner.Result start = start();
        assertEquals(0, start.exitCode(), start.toString());
        assertTrue(start.err().contains("canary ready"), start.err());
        CliRunner.Result status = run("canary", "status", "--env", "staging", "-o", "json");
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().contains("\"weight\" : 5,"), status.out());
        assertTrue(status.out().contains("\"stableWeight\" : 95,"), status.out());
        assertTrue(status.out().contains("\"route\" : \"vllm-chatbot\""), status.out());
        assertTrue(status.out().contains("\"header\" : \"X-Canary\""), status.out());
        assertTrue(status.out().contains("\"canaryImage\" : \"" + CANARY + "\""), status.out());
        assertTrue(status.out().contains("\"stableImage\" : \"" + STABLE + "\""), status.out());

        CliRunner.Result again = start();
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.err().contains("chatbotctl: error: a canary already runs in ai-serving"), again.err());

        CliRunner.Result abort = run("canary", "abort", "--env", "staging");
        assertEquals(0, abort.exitCode(), abort.toString());
        assertNull(k.apps().deployments().withName("vllm-chatbot-canary").get());
        assertNull(k.services().withName("vllm-service-canary").get());
        assertNull(k.configMaps().withName("vllm-config-canary").get());
        assertEquals(null, RouteWeights.weight(CanaryNames.DEFAULTS, Routes.get(k)), "the route no longer sends to the canary");
        assertNotNull(k.configMaps().withName("vllm-config").get(), "stable's ConfigMap stays");
        assertEquals(STABLE, KubeCanary.image(k.apps().deployments().withName("vllm-chatbot").get()));
    }

    @Test
    void promoteMakesANewReleaseAndRemovesTheCanary() {
        assertEquals(0, start().exitCode());
        CliRunner.Result promote = run("canary", "promote", "--env", "staging", "--timeout", "60s");
        assertEquals(0, promote.exitCode(), promote.toString());
        assertTrue(promote.out().contains("promoted " + CANARY + " (release v2 of staging)"), promote.out());
        assertEquals(CANARY, KubeCanary.image(k.apps().deployments().withName("vllm-chatbot").get()));
        assertNull(k.apps().deployments().withName("vllm-chatbot-canary").get());
        CliRunner.Result history = run("history", "--env", "staging");
        assertTrue(history.out().contains(CANARY), history.out());
    }

    @Test
    void startWithoutTheGatewayLayoutIsBadInput() {
        Routes.delete(k);
        CliRunner.Result start = start();
        assertEquals(3, start.exitCode(), start.toString());
        assertTrue(start.err().contains("no HTTPRoute vllm-chatbot routes to vllm-service in namespace ai-serving"), start.err());
        assertNull(k.apps().deployments().withName("vllm-chatbot-canary").get(), "nothing created");
    }

    @Test
    void evalOptionsGoTogether() {
        assertEquals(0, start().exitCode());
        CliRunner.Result watch = run("canary", "watch", "--env", "staging", "--interval", "5s", "--eval-dataset", "x.jsonl");
        assertEquals(3, watch.exitCode(), watch.toString());
        assertTrue(watch.err().contains("--eval-dataset needs --eval-thresholds FILE"), watch.err());
    }

    @Test
    void watchWithoutACanaryRefusesAndChangesNothing() {
        CliRunner.Result watch = run("canary", "watch", "--env", "staging", "--interval", "5m");
        assertEquals(1, watch.exitCode(), watch.toString());
        assertTrue(watch.err().contains("no canary runs in ai-serving"), watch.err());
    }

    @Test
    void unreachablePrometheusFailsBeforeAnyChange() {
        assertEquals(0, start().exitCode());
        CliRunner.Result watch = run("canary", "watch", "--env", "staging", "--interval", "5m", "--steps", "25,50",
                "--auto-promote", "--auto-rollback");
        assertEquals(4, watch.exitCode(), watch.toString());
        assertTrue(watch.err().contains("chatbotctl: error: inconclusive, cannot reach Prometheus at http://127.0.0.1:" + closedPort), watch.err());
        assertFalse(watch.err().contains("\tat "), "no stack trace");
        assertEquals(5, RouteWeights.weight(CanaryNames.DEFAULTS, Routes.get(k)), "the weight was not touched");
    }

    @Test
    void badInputIsExitThree() throws Exception {
        Path analysis = dir.resolve("analysis.yaml");
        Files.writeString(analysis, "metrics:\n  - name: ttft\n    query: x{track=\"{{track}}\"}\n    direction: up\n");
        CliRunner.Result bad = run("canary", "watch", "--env", "staging", "--dry-run", "--analysis", "analysis.yaml");
        assertEquals(3, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains(analysis + ": metrics[0].direction: must be increase or decrease"), bad.err());

        CliRunner.Result steps = run("canary", "watch", "--env", "staging", "--dry-run", "--steps", "50,10");
        assertEquals(3, steps.exitCode(), steps.toString());
        assertTrue(steps.err().contains("--steps must be increasing percentages"), steps.err());

        CliRunner.Result time = run("canary", "watch", "--dry-run", "--from", "yesterday", "--to", "today");
        assertEquals(2, time.exitCode(), time.toString());
        assertTrue(time.err().contains("'yesterday' is not a time"), time.err());
    }

    @Test
    void helpListsTheOptionsOfTheIssue() {
        CliRunner.Result help = run("canary", "watch", "--help");
        for (String option : new String[]{"--analysis", "--steps", "--interval", "--prometheus", "--auto-promote",
                "--auto-rollback", "--dry-run", "--from", "--to", "--out", "--eval-dataset", "--eval-thresholds", "--eval-baseline"}) {
            assertTrue(help.out().contains(option), option + " in " + help.out());
        }
    }
}
