package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.DeploymentController;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.PodProblem;
import io.chatbotctl.testing.Repository;
import io.chatbotctl.testing.RolloutOutcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy, diff, rollback, history, status and scale through the real command line, against the mock API server. */
class DeployCliTest {
    static final String STAGING_IMAGE = "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/vllm-openai:v0.12.0";

    @TempDir
    static Path clusterDir;
    static KubeMockCluster cluster;

    @TempDir
    Path project;
    KubernetesClient client;

    @BeforeAll
    static void startCluster() {
        cluster = KubeMockCluster.start(clusterDir);
        cluster.controller().onEveryRollout(d -> DeploymentController.image(d).contains("broken")
                ? RolloutOutcome.deadlineExceeded(PodProblem.imagePullBackOff(DeploymentController.image(d)))
                : RolloutOutcome.succeed());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void freshProject() throws IOException {
        cluster.reset();
        client = cluster.client();
        Repository.copyManifests(project);
        Files.writeString(project.resolve("chatbotctl.yaml"), """
                service: vllm-chatbot
                model: llama-3.1-8b-instruct
                environments:
                  staging:
                    context: %s
                    namespace: ai-serving
                    overlay: manifests/overlays/staging
                """.formatted(KubeMockCluster.CONTEXT));
    }

    CliRunner.Result run(String... args) {
        return cluster.cli().workingDir(project).run(args);
    }

    @Test
    void deploySucceedsAndRecordsReleaseOne() {
        CliRunner.Result r = run("deploy", "--env", "staging", "--timeout", "60s");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("release v1 deployed to staging"), r.out());
        assertTrue(r.err().contains("syncing model") || r.err().contains("loading model"), r.err());
        var secret = client.secrets().withName("chatbotctl-release-staging-v1").get();
        assertEquals("deployed", secret.getMetadata().getLabels().get("chatbotctl.io/release-status"));
        assertEquals(STAGING_IMAGE, client.apps().deployments().withName("vllm-chatbot").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertNotNull(client.services().withName("vllm-service").get());
    }

    /** The proxy's keys Secret is created outside the repository: deploy says at once when it is missing. */
    @Test
    void aMissingKeysSecretIsNamedBeforeTheRolloutWaits() {
        CliRunner.Result without = run("deploy", "--env", "staging", "--dry-run");
        assertEquals(0, without.exitCode(), without.toString());
        assertTrue(without.err().contains("warning: Secret vllm-chatbot-proxy-keys (volume proxy-keys of Deployment/vllm-chatbot)"
                + " is not in namespace ai-serving: the pods will not start until it exists"), without.err());

        client.secrets().inNamespace("ai-serving").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("vllm-chatbot-proxy-keys").withNamespace("ai-serving").endMetadata()
                .addToStringData("keys.yaml", "keys: []\n").build()).create();
        CliRunner.Result with = run("deploy", "--env", "staging", "--dry-run");
        assertEquals(0, with.exitCode(), with.toString());
        assertFalse(with.err().contains("vllm-chatbot-proxy-keys"), with.err());
    }

    @Test
    void brokenImageRollsBackRestoringConfigMapAndDeployment() throws IOException {
        assertEquals(0, run("deploy", "--env", "staging").exitCode());
        Path patch = project.resolve("manifests/overlays/staging/vllm-config.yaml");
        Files.writeString(patch, Files.readString(patch).replace("MAX_NUM_SEQS: \"32\"", "MAX_NUM_SEQS: \"64\""));
        CliRunner.Result r = run("deploy", "--env", "staging", "--image", "vllm/vllm-openai:broken");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("chatbotctl: error: rollout of release v2 failed"), r.err());
        assertTrue(r.err().contains("ImagePullBackOff"), r.err());
        assertTrue(r.err().contains("rolled back to v1"), r.err());
        assertEquals("32", client.configMaps().withName("vllm-config").get().getData().get("MAX_NUM_SEQS"));
        assertEquals(STAGING_IMAGE, client.apps().deployments().withName("vllm-chatbot").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        CliRunner.Result history = run("history", "--env", "staging");
        assertEquals(0, history.exitCode(), history.toString());
        assertTrue(history.out().matches("(?s).*1 .*superseded.*\\n2 .*failed.*\\n3 .*deployed.*automatic rollback to v1 after v2 failed.*"), history.out());
    }

    @Test
    void removedResourceIsPruned() throws IOException {
        assertEquals(0, run("deploy", "--env", "staging").exitCode());
        ResourceDefinitionContext rules = new ResourceDefinitionContext.Builder().withGroup("monitoring.coreos.com")
                .withVersion("v1").withKind("PrometheusRule").withPlural("prometheusrules").withNamespaced(true).build();
        List<GenericKubernetesResource> before = client.genericKubernetesResources(rules).inNamespace("ai-serving").list().getItems();
        assertEquals(1, before.size());
        Path kustomization = project.resolve("manifests/overlays/staging/kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization).replace("  - ../../monitoring\n", ""));
        CliRunner.Result r = run("deploy", "--env", "staging");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("pruned"), r.out());
        assertTrue(client.genericKubernetesResources(rules).inNamespace("ai-serving").list().getItems().isEmpty());
        assertNotNull(client.configMaps().withName("vllm-config").get());
    }

    @Test
    void diffExitsOneOnChangesAndZeroWhenInSync() throws IOException {
        CliRunner.Result first = run("diff", "--env", "staging");
        assertEquals(1, first.exitCode(), first.toString());
        assertTrue(first.out().contains("+++ merged/Deployment.apps/ai-serving/vllm-chatbot"), first.out());
        assertEquals(0, run("deploy", "--env", "staging").exitCode());
        CliRunner.Result same = run("diff", "--env", "staging");
        assertEquals(0, same.exitCode(), same.toString());
        assertTrue(same.out().contains("0 to create, 0 to update, 0 to delete"), same.out());
        Path patch = project.resolve("manifests/overlays/staging/vllm-config.yaml");
        Files.writeString(patch, Files.readString(patch).replace("MAX_NUM_SEQS: \"32\"", "MAX_NUM_SEQS: \"64\""));
        CliRunner.Result changed = run("diff", "--env", "staging", "-o", "json");
        assertEquals(1, changed.exitCode(), changed.toString());
        JsonNode json = Json.mapper().readTree(changed.out());
        JsonNode config = Stream.of(json.path("objects")).flatMap(n -> java.util.stream.StreamSupport.stream(n.spliterator(), false))
                .filter(o -> o.path("name").asText().equals("vllm-config")).findFirst().orElseThrow();
        assertEquals("update", config.path("action").asText());
        assertTrue(config.path("diff").asText().contains("+  MAX_NUM_SEQS: \"64\""), config.path("diff").asText());
    }

    @Test
    void rollbackToAnEarlierReleaseAndHistory() throws IOException {
        assertEquals(0, run("deploy", "--env", "staging").exitCode());
        assertEquals(0, run("deploy", "--env", "staging", "--image", "vllm/vllm-openai:v0.11.0").exitCode());
        CliRunner.Result r = run("rollback", "--env", "staging", "--to", "1");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(STAGING_IMAGE, client.apps().deployments().withName("vllm-chatbot").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        JsonNode history = Json.mapper().readTree(run("history", "--env", "staging", "-o", "json").out());
        assertEquals(3, history.path("releases").size());
        assertEquals("rollback to v1", history.path("releases").path(2).path("description").asText());
        assertEquals("deployed", history.path("releases").path(2).path("status").asText());
        CliRunner.Result missing = run("rollback", "--env", "staging", "--to", "9");
        assertEquals(3, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("release v9 does not exist"), missing.err());
    }

    @Test
    void statusShowsPodsRolloutHpaAndRelease() throws IOException {
        assertEquals(0, run("deploy", "--env", "staging").exitCode());
        CliRunner.Result r = run("status", "--env", "staging");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().matches("(?s)POD +NODE +GPU +PHASE +STAGE +READY +RESTARTS +AGE\\nvllm-chatbot-\\S+ +gpu-node-1 +1 +Running +ready +yes +0 .*"), r.out());
        assertTrue(r.out().contains("successfully rolled out"), r.out());
        assertTrue(r.out().contains("hpa vllm-chatbot-hpa"), r.out());
        assertTrue(r.out().contains("release v1 deployed"), r.out());
        JsonNode json = Json.mapper().readTree(run("status", "--env", "staging", "-o", "json").out());
        assertEquals("COMPLETE", json.path("rolloutPhase").asText());
        assertTrue(json.path("hpa").path("metric").asText().contains("num_requests_waiting"), json.toString());
        assertEquals(1, json.path("release").path("version").asInt());
    }

    @Test
    void scaleRefusesOutsideHpaBoundsUnlessForced() {
        assertEquals(0, run("deploy", "--env", "staging").exitCode());
        CliRunner.Result refused = run("scale", "--env", "staging", "--replicas", "3");
        assertEquals(3, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("outside the bounds 1-1 of HPA vllm-chatbot-hpa"), refused.err());
        assertNull(client.apps().deployments().withName("vllm-chatbot").get().getSpec().getReplicas());
        CliRunner.Result forced = run("scale", "--env", "staging", "--replicas", "3", "--force");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertEquals(3, client.apps().deployments().withName("vllm-chatbot").get().getSpec().getReplicas());
        assertTrue(forced.out().contains("will scale back"), forced.out());
    }

    @Test
    void unreachableClusterExitsFourWithinTenSeconds() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path kubeconfig = KubeMockCluster.writeKubeconfig(project.resolve("unreachable.yaml"),
                "https://127.0.0.1:" + closedPort, KubeMockCluster.CONTEXT, "ai-serving");
        assertEquals(0, run("history", "--env", "staging").exitCode(), "loads the client's classes, so only the connection is timed");
        long start = System.nanoTime();
        CliRunner.Result r = new CliRunner().env("KUBECONFIG", kubeconfig.toString()).workingDir(project)
                .run("status", "--env", "staging");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("chatbotctl: error: cannot reach the Kubernetes API server https://127.0.0.1:" + closedPort), r.err());
        assertTrue(r.err().contains("hint: "), r.err());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "issue 8: exit 4 within 10 s, took " + took);
    }

    @Test
    void unknownContextIsBadInput() throws IOException {
        Files.writeString(project.resolve("chatbotctl.yaml"), Files.readString(project.resolve("chatbotctl.yaml"))
                .replace("context: " + KubeMockCluster.CONTEXT, "context: eks-ai-staging"));
        CliRunner.Result r = run("history", "--env", "staging");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("kube context 'eks-ai-staging' is not in"), r.err());
        assertTrue(r.err().contains("mock-cluster"), r.err());
    }
}
