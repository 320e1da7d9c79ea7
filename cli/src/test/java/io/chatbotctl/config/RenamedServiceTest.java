package io.chatbotctl.config;

import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.Repository;
import io.chatbotctl.testing.RolloutOutcome;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service whose objects are renamed (a Kustomize namePrefix) and whose chatbotctl.yaml says so: deploy, status,
 * scale, canary start and a runbook all work on the renamed objects, against the mock API server.
 */
class RenamedServiceTest {
    static final String IMAGE = "registry.example.com/vllm-openai:v0.6.0";
    static final String CANARY = "registry.example.com/vllm-openai:v0.6.1";

    @TempDir
    Path project;
    KubeMockCluster cluster;
    KubernetesClient k;

    @BeforeEach
    void renamedProject() throws IOException {
        cluster = KubeMockCluster.start(project);
        cluster.controller().stageDelay(Duration.ofMillis(10)).onEveryRollout(d -> RolloutOutcome.succeed());
        k = cluster.client();
        Path overlay = Files.createDirectories(project.resolve("team-a"));
        Path staging = overlay.toAbsolutePath().relativize(Repository.file("manifests/overlays/staging").toAbsolutePath());
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                namePrefix: team-a-
                """.formatted(staging));
        Files.writeString(project.resolve("chatbotctl.yaml"), """
                service: team-a-vllm-chatbot
                model: llama-3.1-8b-instruct
                names:
                  service: team-a-vllm-service
                  httpRoute: team-a-vllm-chatbot
                  hpa: team-a-vllm-chatbot-hpa
                  configMap: team-a-vllm-config
                environments:
                  staging:
                    context: %s
                    namespace: %s
                    overlay: team-a
                """.formatted(KubeMockCluster.CONTEXT, KubeMockCluster.NAMESPACE));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    CliRunner.Result run(String... args) {
        return cluster.cli().workingDir(project).run(args);
    }

    @Test
    void everyCommandWorksOnTheConfiguredNames() {
        CliRunner.Result deploy = run("deploy", "--env", "staging", "--image", IMAGE, "--timeout", "60s");
        assertEquals(0, deploy.exitCode(), deploy.toString());
        assertNotNull(k.apps().deployments().withName("team-a-vllm-chatbot").get());
        assertNull(k.apps().deployments().withName("vllm-chatbot").get(), "nothing under today's name");

        CliRunner.Result status = run("status", "--env", "staging", "-o", "json");
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().contains("team-a-vllm-chatbot"), status.out());

        CliRunner.Result scale = run("scale", "--env", "staging", "--replicas", "1");
        assertEquals(0, scale.exitCode(), scale.toString());
        assertTrue(scale.out().contains("team-a-vllm-chatbot"), scale.out());

        CliRunner.Result start = run("canary", "start", "--env", "staging", "--image", CANARY, "--weight", "5", "--timeout", "30s");
        assertEquals(0, start.exitCode(), start.toString());
        assertNotNull(k.apps().deployments().withName("team-a-vllm-chatbot-canary").get(), "canary copies the renamed Deployment");
        assertNotNull(k.services().withName("team-a-vllm-service-canary").get(), "canary Service next to the renamed one");

        CliRunner.Result runbook = run("runbook", "pod-failure", "--env", "staging", "--dry-run");
        assertTrue(runbook.err().contains("deployment/team-a-vllm-chatbot"), runbook.toString());
        assertTrue(runbook.err().contains("pods ready"), runbook.toString());
    }

    @Test
    void theNamesBlockIsValidated() throws IOException {
        Files.writeString(project.resolve("chatbotctl.yaml"), """
                service: vllm-chatbot
                names:
                  servce: x
                environments:
                  staging: {}
                """);
        CliRunner.Result typo = run("config", "validate");
        assertEquals(3, typo.exitCode(), typo.toString());
        assertTrue(typo.err().contains("chatbotctl.yaml:3: names.servce: unknown field"), typo.err());
        Files.writeString(project.resolve("chatbotctl.yaml"), """
                service: vllm-chatbot
                names:
                  appLabel: just-a-key
                environments:
                  staging: {}
                """);
        CliRunner.Result label = run("config", "validate");
        assertEquals(3, label.exitCode(), label.toString());
        assertTrue(label.err().contains("names.appLabel: 'just-a-key' is not key=value"), label.err());
    }
}
