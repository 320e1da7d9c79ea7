package io.chatbotctl.canary;

import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.ProjectFiles;
import io.chatbotctl.testing.Repository;
import io.chatbotctl.testing.RolloutOutcome;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --chatbotctl-image} (cd.yml passes the image its {@code image} job built): deploy, canary start and the
 * promotion put it in every container that runs chatbotctl (the model-sync initContainer and the proxy sidecar),
 * and nowhere else; render shows the same.
 */
class ChatbotctlImageTest {
    static final String SHIPPED = "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/chatbotctl:0.1.0";
    static final String BUILT = "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/chatbotctl:3f2a9c1d7e4b";
    static final String BUILT_NEXT = "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/chatbotctl:8d1e0b6a2c5f";
    static final String VLLM = "registry.example.com/vllm-openai:v0.12.0";

    @TempDir
    Path dir;
    KubeMockCluster cluster;
    KubernetesClient k;

    @BeforeEach
    void start() throws Exception {
        cluster = KubeMockCluster.start(dir);
        cluster.controller().stageDelay(Duration.ofMillis(10)).onEveryRollout(d -> RolloutOutcome.succeed());
        k = cluster.client();
        ProjectFiles.stagingConfig(dir, Repository.file("manifests/overlays/staging"), "");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    CliRunner.Result run(String... args) {
        return cluster.cli().workingDir(dir).run(args);
    }

    /** Container name → image, init containers included. */
    static Map<String, String> images(Deployment d) {
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        return Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
                .collect(Collectors.toMap(Container::getName, Container::getImage));
    }

    @Test
    void deployCanaryAndPromotionCarryTheBuiltImage() {
        CliRunner.Result deploy = run("deploy", "--env", "staging", "--image", VLLM, "--chatbotctl-image", BUILT, "--timeout", "60s");
        assertEquals(0, deploy.exitCode(), deploy.toString());
        assertEquals(Map.of("model-loader", BUILT, "vllm", VLLM, "proxy", BUILT),
                images(k.apps().deployments().withName("vllm-chatbot").get()));

        CliRunner.Result canary = run("canary", "start", "--env", "staging", "--image", VLLM, "--chatbotctl-image", BUILT_NEXT,
                "--weight", "0", "--timeout", "30s");
        assertEquals(0, canary.exitCode(), canary.toString());
        assertEquals(Map.of("model-loader", BUILT_NEXT, "vllm", VLLM, "proxy", BUILT_NEXT),
                images(k.apps().deployments().withName("vllm-chatbot-canary").get()));
        assertEquals(Map.of("model-loader", BUILT, "vllm", VLLM, "proxy", BUILT),
                images(k.apps().deployments().withName("vllm-chatbot").get()), "stable is untouched");

        CliRunner.Result promote = run("canary", "promote", "--env", "staging", "--timeout", "60s");
        assertEquals(0, promote.exitCode(), promote.toString());
        assertEquals(Map.of("model-loader", BUILT_NEXT, "vllm", VLLM, "proxy", BUILT_NEXT),
                images(k.apps().deployments().withName("vllm-chatbot").get()), "promotion deploys the canary's images");
    }

    @Test
    void withoutTheOptionTheManifestsImageStays() {
        assertEquals(0, run("deploy", "--env", "staging", "--timeout", "60s").exitCode());
        Map<String, String> images = images(k.apps().deployments().withName("vllm-chatbot").get());
        assertEquals(SHIPPED, images.get("model-loader"));
        assertEquals(SHIPPED, images.get("proxy"));
    }

    @Test
    void aTagKeepsTheRepositoryAndRenderShowsIt() {
        CliRunner.Result render = run("render", "--env", "staging", "--chatbotctl-image", ":0.2.0");
        assertEquals(0, render.exitCode(), render.toString());
        String tagged = SHIPPED.replace(":0.1.0", ":0.2.0");
        long uses = render.out().lines().filter(l -> l.trim().equals("image: " + tagged)).count();
        assertEquals(2, uses, render.out());
        assertTrue(render.out().lines().noneMatch(l -> l.contains("chatbotctl:0.1.0")), render.out());
        assertTrue(render.out().contains("vllm-openai:v0.12.0"), "the vLLM image is not a chatbotctl image");
    }

    @Test
    void aManifestWithoutChatbotctlContainersIsBadInput() throws Exception {
        Path overlay = dir.resolve("plain");
        java.nio.file.Files.createDirectories(overlay);
        java.nio.file.Files.writeString(overlay.resolve("kustomization.yaml"), "resources: [deployment.yaml]\n");
        java.nio.file.Files.writeString(overlay.resolve("deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm-chatbot}
                spec:
                  template:
                    spec:
                      containers: [{name: vllm, image: vllm/vllm-openai:v0.12.0}]
                """);
        CliRunner.Result r = run("render", "--dir", "plain", "--chatbotctl-image", BUILT);
        assertEquals(3, r.exitCode(), r.toString());
        assertEquals(List.of("chatbotctl: error: --chatbotctl-image: no container whose image repository is 'chatbotctl' in the rendered manifests"),
                r.err().lines().limit(1).toList());
    }
}
