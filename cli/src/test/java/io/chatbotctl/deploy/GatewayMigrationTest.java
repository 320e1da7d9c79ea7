package io.chatbotctl.deploy;

import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.ProjectFiles;
import io.chatbotctl.testing.Repository;
import io.chatbotctl.testing.RolloutOutcome;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Moving an environment from the ingress-nginx layout to Gateway API is one deploy: the new release applies the
 * HTTPRoute and the Gateway, and after a healthy rollout deploy's ApplySet pruning deletes the old Ingress.
 */
class GatewayMigrationTest {
    static final String IMAGE = "registry.example.com/vllm-openai:v0.6.0";

    @Test
    void deployingTheGatewayLayoutOverTheIngressLayoutPrunesTheIngress(@TempDir Path dir) throws Exception {
        try (KubeMockCluster cluster = KubeMockCluster.start(dir)) {
            cluster.controller().stageDelay(Duration.ofMillis(10)).onEveryRollout(d -> RolloutOutcome.succeed());
            KubernetesClient k = cluster.client();
            // the old layout: the staging release with the (retired) Ingress and without the Gateway API objects
            Path old = Files.createDirectories(dir.resolve("ingress-layout"));
            Files.writeString(old.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    resources:
                      - %s
                    components:
                      - %s
                    patches:
                      - patch: |
                          $patch: delete
                          apiVersion: gateway.networking.k8s.io/v1
                          kind: HTTPRoute
                          metadata:
                            name: vllm-chatbot
                      - patch: |
                          $patch: delete
                          apiVersion: gateway.networking.k8s.io/v1
                          kind: Gateway
                          metadata:
                            name: vllm-chatbot
                      - patch: |
                          $patch: delete
                          apiVersion: gateway.k8s.aws/v1beta1
                          kind: LoadBalancerConfiguration
                          metadata:
                            name: vllm-chatbot
                    """.formatted(old.relativize(Repository.file("manifests/overlays/staging")),
                    old.relativize(Repository.file("manifests/components/ingress-nginx"))));
            config(dir, old);
            CliRunner.Result first = cluster.cli().workingDir(dir).run("deploy", "--env", "staging", "--image", IMAGE, "--timeout", "60s");
            assertEquals(0, first.exitCode(), first.toString());
            assertNotNull(k.network().v1().ingresses().withName("vllm-chatbot").get());
            assertNull(route(k));

            config(dir, Repository.file("manifests/overlays/staging"));
            CliRunner.Result second = cluster.cli().workingDir(dir).run("deploy", "--env", "staging", "--image", IMAGE,
                    "--timeout", "60s", "-o", "json");
            assertEquals(0, second.exitCode(), second.toString());
            assertNull(k.network().v1().ingresses().withName("vllm-chatbot").get(), "the old Ingress was pruned");
            assertTrue(second.out().contains("Ingress") && second.out().contains("pruned"), second.out());
            assertNotNull(route(k), "the HTTPRoute was applied");
            assertNotNull(k.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("gateway.networking.k8s.io")
                    .withVersion("v1").withKind("Gateway").withPlural("gateways").withNamespaced(true).build())
                    .withName("vllm-chatbot").get(), "the Gateway was applied");
        }
    }

    static Object route(KubernetesClient k) {
        return k.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("gateway.networking.k8s.io")
                .withVersion("v1").withKind("HTTPRoute").withPlural("httproutes").withNamespaced(true).build())
                .withName("vllm-chatbot").get();
    }

    static void config(Path dir, Path overlay) throws Exception {
        ProjectFiles.stagingConfig(dir, overlay, "");
    }
}
