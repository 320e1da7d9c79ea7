package io.chatbotctl.deploy;

import io.chatbotctl.manifest.ImageOverrides;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.kube.KubeTarget;
import io.chatbotctl.testing.DeploymentController;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.PodProblem;
import io.chatbotctl.testing.RolloutOutcome;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeployServiceTest {
    @TempDir
    static Path dir;
    static KubeMockCluster cluster;
    KubernetesClient client;
    DeployService service;
    FixtureManifests manifests = new FixtureManifests();
    List<String> log = new ArrayList<>();
    Progress progress = new Progress() {
        @Override
        public void update(String line) {}

        @Override
        public synchronized void log(String line) {
            log.add(line);
        }
    };

    @BeforeAll
    static void startCluster() {
        cluster = KubeMockCluster.start(dir);
        cluster.controller().stageDelay(Duration.ofMillis(300)).onEveryRollout(d -> DeploymentController.image(d).contains("broken")
                ? RolloutOutcome.deadlineExceeded(PodProblem.imagePullBackOff(DeploymentController.image(d)))
                : DeploymentController.image(d).contains("oom")
                ? RolloutOutcome.crashLoop(PodProblem.oomKilled())
                : RolloutOutcome.succeed());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void start() {
        cluster.reset();
        client = cluster.client();
        service = new DeployService(new DeployTarget("staging", new KubeTarget(KubeMockCluster.CONTEXT, "ai-serving",
                Map.of("KUBECONFIG", cluster.kubeconfig().toString())), dir));
    }

    DeployResult deploy(String image) throws InterruptedException {
        return service.deploy(manifests, new DeployRequest(ImageOverrides.vllm(image), false, Duration.ofSeconds(20), true), progress);
    }

    @Test
    void firstDeployAppliesRecordsReleaseOneAndLeavesReplicasToTheHpa() throws Exception {
        DeployResult result = deploy(null);
        assertEquals("deployed", result.status(), result.toTable().render());
        assertEquals(1, result.release());
        Deployment d = client.apps().deployments().withName("vllm-chatbot").get();
        assertNull(d.getSpec().getReplicas(), "spec.replicas is left to the HPA");
        assertNotNull(d.getMetadata().getLabels().get(ApplySet.PART_OF));
        var secret = client.secrets().withName("chatbotctl-release-staging-v1").get();
        assertEquals("deployed", secret.getMetadata().getLabels().get(ReleaseStore.LABEL_STATUS));
        assertEquals("vllm/vllm-openai:v0.6.3", secret.getMetadata().getAnnotations().get(ReleaseStore.ANNOTATION_IMAGE));
        String stored = ReleaseStore.gunzip(java.util.Base64.getDecoder().decode(secret.getData().get(ReleaseStore.MANIFESTS_KEY)));
        assertTrue(stored.contains("kind: HorizontalPodAutoscaler"));
        assertTrue(log.stream().anyMatch(l -> l.contains("syncing model")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("loading model")), log.toString());
    }

    @Test
    void brokenImageRollsBackToThePreviousReleaseIncludingItsConfigMap() throws Exception {
        assertEquals("deployed", deploy(null).status());
        manifests.configValue = "8192";
        DeployResult result = deploy("vllm/vllm-openai:broken");
        assertEquals("rolled-back", result.status());
        assertEquals(1, result.rolledBackTo());
        assertTrue(result.failureMessage().contains("exceeded its progress deadline"), result.failureMessage());
        assertTrue(result.failureMessage().contains("ImagePullBackOff"), result.failureMessage());
        assertEquals("4096", client.configMaps().withName("vllm-config").get().getData().get("MAX_MODEL_LEN"));
        assertEquals("vllm/vllm-openai:v0.6.3", DeploymentController.image(client.apps().deployments().withName("vllm-chatbot").get()));
        List<Release> releases = service.history().releases();
        assertEquals(List.of("superseded", "failed", "deployed"), releases.stream().map(Release::status).toList());
    }

    @Test
    void aRolloutThatNeverFinishesTimesOutAndRollsBackNamingTheOomKill() throws Exception {
        assertEquals("deployed", deploy(null).status(), log.toString());
        DeployResult result = service.deploy(manifests, new DeployRequest(ImageOverrides.vllm("vllm/vllm-openai:oom"), false, Duration.ofSeconds(2), true), progress);
        assertEquals("rolled-back", result.status());
        assertTrue(result.failureMessage().contains("timed out after 2s"), result.failureMessage());
        assertTrue(result.failureMessage().contains("CrashLoopBackOff, last exit OOMKilled (code 137), 4 restarts"), result.failureMessage());
        assertEquals("vllm/vllm-openai:v0.6.3", DeploymentController.image(client.apps().deployments().withName("vllm-chatbot").get()));
    }

    @Test
    void noRollbackLeavesTheFailedReleaseInPlace() throws Exception {
        deploy(null);
        DeployResult result = service.deploy(manifests, new DeployRequest(ImageOverrides.vllm("vllm/vllm-openai:broken"), false, Duration.ofSeconds(20), false), progress);
        assertEquals("failed", result.status());
        assertEquals("vllm/vllm-openai:broken", DeploymentController.image(client.apps().deployments().withName("vllm-chatbot").get()));
    }

    @Test
    void removedResourceIsPrunedAfterAHealthyRollout() throws Exception {
        manifests.withExtraConfigMap = true;
        deploy(null);
        assertNotNull(client.configMaps().withName("vllm-extra").get());
        manifests.withExtraConfigMap = false;
        DeployResult result = deploy(null);
        assertEquals(List.of("ConfigMap/vllm-extra"), result.pruned());
        assertNull(client.configMaps().withName("vllm-extra").get());
        assertNotNull(client.configMaps().withName("vllm-config").get());
    }

    @Test
    void lintErrorsStopTheDeployBeforeAnythingIsApplied() {
        manifests.lintErrors.add("gpu-request-limit: vllm requests 1 GPU but limits 2");
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> deploy(null));
        assertTrue(e.getMessage().contains("gpu-request-limit"));
        assertTrue(client.configMaps().list().getItems().isEmpty());
        assertTrue(client.secrets().list().getItems().isEmpty());
    }

    @Test
    void dryRunAndDiffChangeNothing() throws Exception {
        DeployResult dry = service.deploy(manifests, new DeployRequest(ImageOverrides.NONE, true, Duration.ofSeconds(5), true), progress);
        assertEquals("dry-run", dry.status());
        assertTrue(client.configMaps().list().getItems().isEmpty());
        assertTrue(service.diff(manifests, ImageOverrides.NONE).changed());
        deploy(null);
        DiffResult same = service.diff(manifests, ImageOverrides.NONE);
        assertFalse(same.changed(), same.unifiedDiff());
        manifests.configValue = "8192";
        DiffResult changed = service.diff(manifests, ImageOverrides.NONE);
        assertTrue(changed.changed());
        assertTrue(changed.unifiedDiff().contains("-  MAX_MODEL_LEN: \"4096\"") || changed.unifiedDiff().contains("-  MAX_MODEL_LEN: 4096"), changed.unifiedDiff());
    }

    @Test
    void rollbackToAnEarlierRelease() throws Exception {
        deploy(null);
        manifests.configValue = "8192";
        deploy("vllm/vllm-openai:v0.6.4");
        DeployResult result = service.rollback(1, Duration.ofSeconds(20), progress);
        assertEquals("deployed", result.status());
        assertEquals(3, result.release());
        assertEquals("4096", client.configMaps().withName("vllm-config").get().getData().get("MAX_MODEL_LEN"));
        assertEquals(List.of("superseded", "superseded", "deployed"), service.history().releases().stream().map(Release::status).toList());
    }
}
