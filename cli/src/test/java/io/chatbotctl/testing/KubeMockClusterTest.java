package io.chatbotctl.testing;

import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.kube.KubeTarget;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness behaves like an API server with a Deployment controller in what the deploy tests rely on. */
class KubeMockClusterTest {
    @TempDir
    static Path dir;
    static KubeMockCluster cluster;
    static KubeConnection connection;
    KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = KubeMockCluster.start(dir);
        connection = KubeConnection.open(new KubeTarget(KubeMockCluster.CONTEXT, KubeMockCluster.NAMESPACE,
                Map.of("KUBECONFIG", cluster.kubeconfig().toString())));
    }

    @AfterAll
    static void stop() {
        connection.close();
        cluster.close();
    }

    @BeforeEach
    void clean() {
        cluster.reset();
        client = connection.client();
    }

    private static ConfigMap configMap(Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName("vllm-config").endMetadata().withData(data).build();
    }

    @Test
    void serverSideApplyCreatesThenMergesAndDropsFieldsNoLongerApplied() {
        client.resource(configMap(Map.of("a", "1", "b", "2"))).fieldManager("chatbotctl").forceConflicts().serverSideApply();
        client.configMaps().withName("vllm-config").edit(cm -> {
            cm.getMetadata().setLabels(Map.of("owner", "someone-else"));
            return cm;
        });
        ConfigMap after = client.resource(configMap(Map.of("a", "3"))).fieldManager("chatbotctl").forceConflicts().serverSideApply();
        assertEquals(Map.of("a", "3"), after.getData());
        ConfigMap live = client.configMaps().withName("vllm-config").get();
        assertEquals(Map.of("a", "3"), live.getData());
        assertEquals("someone-else", live.getMetadata().getLabels().get("owner"), "fields of other managers stay");
        assertEquals("chatbotctl", live.getMetadata().getManagedFields().get(0).getManager());
        assertEquals(KubeMockCluster.NAMESPACE, live.getMetadata().getNamespace());
    }

    @Test
    void dryRunApplyAnswersWithoutStoring() {
        ConfigMap answer = client.resource(configMap(Map.of("a", "1"))).dryRun().fieldManager("chatbotctl").forceConflicts().serverSideApply();
        assertEquals("1", answer.getData().get("a"));
        assertNull(client.configMaps().withName("vllm-config").get());
        client.resource(configMap(Map.of("a", "1"))).fieldManager("chatbotctl").serverSideApply();
        client.resource(configMap(Map.of("a", "2"))).dryRun().fieldManager("chatbotctl").serverSideApply();
        assertEquals("1", client.configMaps().withName("vllm-config").get().getData().get("a"));
    }

    @Test
    void replicasSetByAnotherManagerSurviveAnApplyWithoutReplicas() {
        client.resource(deployment("vllm/vllm-openai:v0.6.3")).fieldManager("chatbotctl").serverSideApply();
        client.apps().deployments().withName("vllm-chatbot").edit(d -> {
            d.getSpec().setReplicas(3);
            return d;
        });
        Deployment after = client.resource(deployment("vllm/vllm-openai:v0.6.4")).fieldManager("chatbotctl").serverSideApply();
        assertEquals(3, after.getSpec().getReplicas());
        assertEquals(3L, after.getMetadata().getGeneration(), "create, scale and template change each bump the generation");
    }

    @Test
    void successfulRolloutLooksDoneToKubectlSemantics() {
        client.resource(deployment("vllm/vllm-openai:v0.6.3")).fieldManager("chatbotctl").serverSideApply();
        cluster.controller().rollout("vllm-chatbot", RolloutOutcome.succeed());
        client.resource(deployment("vllm/vllm-openai:v0.6.4")).fieldManager("chatbotctl").serverSideApply();
        cluster.controller().rollout("vllm-chatbot", RolloutOutcome.succeed());
        Deployment d = client.apps().deployments().withName("vllm-chatbot").get();
        assertEquals(d.getMetadata().getGeneration(), d.getStatus().getObservedGeneration());
        assertEquals(1, d.getStatus().getUpdatedReplicas());
        assertEquals(1, d.getStatus().getAvailableReplicas());
        assertEquals(1, d.getStatus().getReplicas());
        List<Pod> pods = client.pods().list().getItems();
        assertEquals(1, pods.size(), "old pods are gone");
        assertEquals("vllm/vllm-openai:v0.6.4", pods.get(0).getSpec().getContainers().get(0).getImage());
        assertTrue(pods.get(0).getStatus().getContainerStatuses().get(0).getReady());
        assertEquals(2, client.apps().replicaSets().list().getItems().size());
    }

    @Test
    void failedRolloutKeepsOldPodsAndReportsDeadlineAndReasons() {
        client.resource(deployment("vllm/vllm-openai:v0.6.3")).fieldManager("chatbotctl").serverSideApply();
        cluster.controller().rollout("vllm-chatbot", RolloutOutcome.succeed());
        client.resource(deployment("vllm/vllm-openai:broken")).fieldManager("chatbotctl").serverSideApply();
        cluster.controller().rollout("vllm-chatbot", RolloutOutcome.deadlineExceeded(PodProblem.oomKilled()));
        Deployment d = client.apps().deployments().withName("vllm-chatbot").get();
        assertEquals("ProgressDeadlineExceeded", d.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Progressing")).findFirst().orElseThrow().getReason());
        List<Pod> pods = client.pods().list().getItems();
        assertEquals(2, pods.size());
        Pod failing = pods.stream().filter(p -> p.getSpec().getContainers().get(0).getImage().endsWith("broken")).findFirst().orElseThrow();
        assertEquals("CrashLoopBackOff", failing.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason());
        assertEquals("OOMKilled", failing.getStatus().getContainerStatuses().get(0).getLastState().getTerminated().getReason());
    }

    @Test
    void backgroundControllerPlaysEveryNewGeneration() throws Exception {
        try (DeploymentController controller = new DeploymentController(client, KubeMockCluster.NAMESPACE).stageDelay(java.time.Duration.ZERO)) {
            controller.onEveryRollout(d -> DeploymentController.image(d).contains("broken")
                    ? RolloutOutcome.crashLoop(PodProblem.imagePullBackOff(DeploymentController.image(d)))
                    : RolloutOutcome.succeed());
            client.resource(deployment("vllm/vllm-openai:v0.6.3")).fieldManager("chatbotctl").serverSideApply();
            Deployment done = client.apps().deployments().withName("vllm-chatbot")
                    .waitUntilCondition(d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas()),
                            10, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(done);
            assertNull(controller.failure());
        }
        assertFalse(client.pods().list().getItems().isEmpty());
    }

    static Deployment deployment(String image) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("vllm-chatbot").endMetadata()
                .withNewSpec()
                .withNewSelector().addToMatchLabels("app.kubernetes.io/name", "vllm-chatbot").endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app.kubernetes.io/name", "vllm-chatbot").endMetadata()
                .withNewSpec()
                .addNewInitContainer().withName("model-loader").withImage("chatbotctl:0.1.0").endInitContainer()
                .addNewContainer().withName("vllm").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }
}
