package io.chatbotctl.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.Sleeper;
import io.chatbotctl.deploy.DeployTarget;
import io.chatbotctl.deploy.KustomizeManifests;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.kube.KubeTarget;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.ProjectFiles;
import io.chatbotctl.testing.Repository;
import io.chatbotctl.testing.RolloutOutcome;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The canary of a new release on the fabric8 mock cluster (with the Deployment-controller helper): start → watch
 * (every step read back from the HTTPRoute's weights) → promote or abort, for an image change and for a change of
 * vLLM settings only. The watch judges scripted identical samples (the statistics against a real Prometheus:
 * CanaryEndToEndTest, CanaryEvalEndToEndTest).
 */
class CanaryGatewayTest {
    static final String STABLE = "registry.example.com/vllm-openai:v0.6.0";
    static final String CANARY = "registry.example.com/vllm-openai:v0.6.1";
    static final double[] SAMPLES = {0.10, 0.11, 0.12, 0.13, 0.14, 0.15};

    @TempDir
    Path dir;
    KubeMockCluster cluster;
    KubernetesClient k;
    Path settingsOverlay;
    /** What the Deployment controller does with each rollout; a test may look at the cluster first. */
    volatile java.util.function.Function<Deployment, RolloutOutcome> rollouts = d -> RolloutOutcome.succeed();

    @BeforeEach
    void deployStable() throws Exception {
        cluster = KubeMockCluster.start(dir);
        cluster.controller().stageDelay(Duration.ofMillis(10)).onEveryRollout(d -> rollouts.apply(d));
        k = cluster.client();
        // the same release with one vLLM setting changed: the staging overlay plus a ConfigMap patch
        settingsOverlay = Files.createDirectories(dir.resolve("overlay-settings"));
        Files.writeString(settingsOverlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                patches:
                  - patch: |
                      apiVersion: v1
                      kind: ConfigMap
                      metadata:
                        name: vllm-config
                      data:
                        MAX_NUM_SEQS: "16"
                """.formatted(settingsOverlay.relativize(Repository.file("manifests/overlays/staging"))));
        writeConfig(Repository.file("manifests/overlays/staging"));
        CliRunner.Result deploy = cluster.cli().workingDir(dir).run("deploy", "--env", "staging", "--image", STABLE, "--timeout", "60s");
        assertEquals(0, deploy.exitCode(), deploy.toString());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    void writeConfig(Path overlay) throws Exception {
        ProjectFiles.stagingConfig(dir, overlay, "");
    }

    /** Starts the canary of {@code overlay} rendered with {@code image}, watches 25 → 50 and promotes or aborts. */
    Outcome startWatch(Path overlay, String image, boolean promote, List<Integer> weightsSeen) throws Exception {
        DeployTarget target = new DeployTarget("staging", new KubeTarget(KubeMockCluster.CONTEXT, KubeMockCluster.NAMESPACE,
                Map.of("KUBECONFIG", cluster.kubeconfig().toString())), dir);
        try (KubeConnection kube = KubeConnection.open(target.kube())) {
            KubeCanary canary = new KubeCanary(kube, CanaryNames.DEFAULTS, new KustomizeManifests(overlay),
                    new ReleasePromoter(target, overlay, Duration.ofSeconds(60)), Duration.ofSeconds(30), Sleeper.REAL);
            canary.start(io.chatbotctl.manifest.ImageOverrides.vllm(image), 5, 1, "X-Canary", Progress.NONE);
            CanaryTraffic recorded = new CanaryTraffic() {
                public void setWeight(int percent) {
                    if (weightsSeen.isEmpty()) {
                        JsonNode route = Routes.get(k);
                        assertEquals(5, RouteWeights.weight(CanaryNames.DEFAULTS, route), "canary start's weight");
                        assertRules(route);
                    }
                    canary.setWeight(percent);
                    weightsSeen.add(RouteWeights.weight(CanaryNames.DEFAULTS, Routes.get(k)));
                }

                public String promote(Progress p) {
                    return canary.promote(p);
                }

                public String rollback(Progress p) {
                    setWeight(0);
                    return canary.rollback(p);
                }
            };
            MetricSource identical = new MetricSource() {
                public double[] samples(String promql, Instant start, Instant end, Duration step) {
                    return SAMPLES;
                }

                public void check(String promql, Instant at) {
                }
            };
            Analysis analysis = new Analysis("test", Duration.ofSeconds(1), null, 0.98, 0.25, 95, 75, 1, 1,
                    List.of(new MetricSpec("ttft_p95", "ttft{track=\"{{track}}\"}", "s", Direction.INCREASE, null, 0.2, 0, true, 5, 1)));
            WatchOptions options = new WatchOptions(KubeMockCluster.NAMESPACE, List.of(25, 50), Duration.ofSeconds(5),
                    promote, true, false, null, null, null);
            CanaryReport report = new CanaryWatch(analysis, identical, recorded, Clock.systemUTC(), d -> {}).run(options, i -> {}, Progress.NONE);
            if (!promote) {
                assertEquals(Outcome.PASSED, report.outcome());
                recorded.rollback(Progress.NONE);
            }
            return report.outcome();
        }
    }

    void assertCanaryRunsBeside(String image, String maxNumSeqs) {
        Deployment canary = k.apps().deployments().withName("vllm-chatbot-canary").get();
        assertEquals(image, KubeCanary.image(canary));
        assertEquals("canary", canary.getSpec().getSelector().getMatchLabels().get("chatbotctl.io/track"));
        assertNull(canary.getMetadata().getLabels().get("applyset.kubernetes.io/part-of"), "not in deploy's ApplySet");
        assertTrue(canary.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(c -> c.getEnvFrom() == null ? java.util.stream.Stream.empty() : c.getEnvFrom().stream())
                .allMatch(e -> e.getConfigMapRef() == null || e.getConfigMapRef().getName().endsWith("-canary")),
                "the canary reads its own ConfigMaps");
        assertEquals(maxNumSeqs, k.configMaps().withName("vllm-config-canary").get().getData().get("MAX_NUM_SEQS"));
        assertEquals("canary", k.services().withName("vllm-service-canary").get().getSpec().getSelector().get("chatbotctl.io/track"));
        assertEquals("stable", k.services().withName("vllm-service").get().getSpec().getSelector().get("chatbotctl.io/track"));
    }

    void assertNoCanaryObjects() {
        assertNull(k.apps().deployments().withName("vllm-chatbot-canary").get());
        assertNull(k.services().withName("vllm-service-canary").get());
        assertNull(k.configMaps().withName("vllm-config-canary").get());
        ObjectNode route = Routes.get(k);
        assertNull(RouteWeights.weight(CanaryNames.DEFAULTS, route));
        assertEquals(1, route.at("/spec/rules").size(), "only the rendered /v1 rule: " + route.at("/spec/rules"));
        assertEquals("vllm-service", route.at("/spec/rules/0/backendRefs/0/name").asText());
    }

    static String stableMaxNumSeqs(KubernetesClient k) {
        ConfigMap cm = k.configMaps().withName("vllm-config").get();
        return cm.getData().get("MAX_NUM_SEQS");
    }

    @Test
    void imageChangeStartWatchPromote() throws Exception {
        List<Integer> weights = new ArrayList<>();
        Path staging = Repository.file("manifests/overlays/staging");
        Outcome outcome = startWatchExpectingCanary(staging, CANARY, true, weights, CANARY, "32");
        assertEquals(Outcome.PROMOTED, outcome);
        assertEquals(List.of(25, 50), weights, "each step applied to the HTTPRoute's weights");
        assertEquals(CANARY, KubeCanary.image(k.apps().deployments().withName("vllm-chatbot").get()));
        assertNotNull(k.secrets().withName("chatbotctl-release-staging-v2").get(), "promotion is deploy's release v2");
        assertNoCanaryObjects();
    }

    @Test
    void imageChangeStartWatchAbort() throws Exception {
        List<Integer> weights = new ArrayList<>();
        startWatchExpectingCanary(Repository.file("manifests/overlays/staging"), CANARY, false, weights, CANARY, "32");
        assertEquals(List.of(25, 50, 0), weights, "abort sets weight 0 before removing the canary");
        assertEquals(STABLE, KubeCanary.image(k.apps().deployments().withName("vllm-chatbot").get()));
        assertNoCanaryObjects();
    }

    @Test
    void settingsOnlyChangeStartWatchPromote() throws Exception {
        writeConfig(settingsOverlay);
        List<Integer> weights = new ArrayList<>();
        Outcome outcome = startWatchExpectingCanary(settingsOverlay, STABLE, true, weights, STABLE, "16");
        assertEquals(Outcome.PROMOTED, outcome);
        assertEquals(List.of(25, 50), weights);
        assertEquals("16", stableMaxNumSeqs(k), "the stable ConfigMap has the new settings");
        assertEquals(STABLE, KubeCanary.image(k.apps().deployments().withName("vllm-chatbot").get()));
        assertNoCanaryObjects();
    }

    @Test
    void settingsOnlyChangeStartWatchAbort() throws Exception {
        writeConfig(settingsOverlay);
        List<Integer> weights = new ArrayList<>();
        startWatchExpectingCanary(settingsOverlay, STABLE, false, weights, STABLE, "16");
        assertEquals(List.of(25, 50, 0), weights);
        assertEquals("32", stableMaxNumSeqs(k), "stable keeps its settings");
        assertNoCanaryObjects();
    }

    /** Like {@link #startWatch}, checking the canary objects and the route right after start (weight 5). */
    Outcome startWatchExpectingCanary(Path overlay, String image, boolean promote, List<Integer> weights, String canaryImage,
                                      String maxNumSeqs) throws Exception {
        List<String> seen = new ArrayList<>();
        rollouts = d -> {
            if (d.getMetadata().getName().equals("vllm-chatbot-canary") && seen.isEmpty()) {
                assertCanaryRunsBeside(canaryImage, maxNumSeqs);
                seen.add("canary");
            }
            return RolloutOutcome.succeed();
        };
        Outcome outcome;
        try {
            outcome = startWatch(overlay, image, promote, weights);
        } catch (RuntimeException e) {
            if (cluster.controller().failure() != null) {
                e.addSuppressed(cluster.controller().failure());
            }
            throw e;
        }
        assertEquals(List.of("canary"), seen, "the canary was rolled out");
        return outcome;
    }

    /** Header rules first (always: canary only, never: stable only), then the weighted /v1 rule. */
    static void assertRules(JsonNode route) {
        assertRulesAt(route, 95);
    }

    static void assertRulesAt(JsonNode route, int stableWeight) {
        JsonNode rules = route.at("/spec/rules");
        assertEquals(3, rules.size(), rules.toString());
        assertEquals("X-Canary", rules.at("/0/matches/0/headers/0/name").asText());
        assertEquals("always", rules.at("/0/matches/0/headers/0/value").asText());
        assertEquals("/v1", rules.at("/0/matches/0/path/value").asText());
        assertEquals("vllm-service-canary", rules.at("/0/backendRefs/0/name").asText());
        assertEquals(1, rules.at("/0/backendRefs").size());
        assertEquals("never", rules.at("/1/matches/0/headers/0/value").asText());
        assertEquals("vllm-service", rules.at("/1/backendRefs/0/name").asText());
        assertEquals(stableWeight, rules.at("/2/backendRefs/0/weight").asInt());
        assertEquals("vllm-service-canary", rules.at("/2/backendRefs/1/name").asText());
        assertEquals(8000, rules.at("/2/backendRefs/1/port").asInt());
        assertEquals("600s", rules.at("/0/timeouts/request").asText(), "the header rules keep the stream timeouts");
    }
}
