package io.chatbotctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.DeploymentController;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.Launcher;
import io.chatbotctl.testing.PodProblem;
import io.chatbotctl.testing.Repository;
import io.chatbotctl.testing.RolloutOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged chatbotctl (shaded jar: fabric8 on OkHttp, Jackson 3) deploys to the mock API server and reads it back. */
class DeployLauncherIT {
    @TempDir
    Path dir;

    @Test
    void packagedDeployStatusAndAutomaticRollback() throws Exception {
        try (KubeMockCluster cluster = KubeMockCluster.start(dir)) {
            cluster.controller().onEveryRollout(d -> DeploymentController.image(d).contains("broken")
                    ? RolloutOutcome.deadlineExceeded(PodProblem.oomKilled())
                    : RolloutOutcome.succeed());
            Files.writeString(dir.resolve("chatbotctl.yaml"), """
                    environments:
                      staging:
                        context: %s
                        namespace: ai-serving
                        overlay: %s
                    """.formatted(KubeMockCluster.CONTEXT, Repository.file("manifests/overlays/staging")));
            Map<String, String> env = Map.of("KUBECONFIG", cluster.kubeconfig().toString());

            CliRunner.Result deploy = Launcher.run(dir, env, "deploy", "--env", "staging", "--timeout", "2m");
            assertEquals(0, deploy.exitCode(), deploy.toString());

            CliRunner.Result status = Launcher.run(dir, env, "status", "--env", "staging", "-o", "json");
            assertEquals(0, status.exitCode(), status.toString());
            JsonNode json = Json.mapper().readTree(status.out());
            assertEquals("COMPLETE", json.path("rolloutPhase").asText());
            assertEquals(1, json.path("release").path("version").asInt());

            CliRunner.Result broken = Launcher.run(dir, env, "deploy", "--env", "staging", "--image", ":broken");
            assertEquals(1, broken.exitCode(), broken.toString());
            assertTrue(broken.err().contains("OOMKilled"), broken.err());
            assertTrue(broken.err().contains("rolled back to v1"), broken.err());
        }
    }
}
