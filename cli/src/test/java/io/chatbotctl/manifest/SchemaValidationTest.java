package io.chatbotctl.manifest;

import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every rendered object of both overlays (and the KEDA component) passes the npm kubernetes-models validators:
 * the core kinds by {@code kubernetes-models}, PrometheusRule and ServiceMonitor by
 * {@code @kubernetes-models/prometheus-operator}, ScaledObject by {@code @kubernetes-models/keda}, Gateway and HTTPRoute
 * by {@code @kubernetes-models/gateway-api}. The implementations' own kinds (the AWS Load Balancer Controller's
 * LoadBalancerConfiguration, Envoy Gateway's traffic policies) have no published model: they are named here and
 * their fields that matter are asserted instead.
 */
class SchemaValidationTest {
    private static final String INSTALL_HINT = "the npm validators are missing: run ./scripts/test (it installs them), or "
            + "npm install --prefix .tools/node kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0 "
            + "@kubernetes-models/keda@0.4.2 @kubernetes-models/gateway-api@0.5.1";
    /** API groups whose kinds have no npm model: checked by field assertions in this test. */
    private static final java.util.Set<String> WITHOUT_MODEL = java.util.Set.of("gateway.k8s.aws", "gateway.envoyproxy.io");

    @Test
    void stagingObjectsAreValid() throws Exception {
        assertValid(ManifestRenderer.render(Repository.file("manifests/overlays/staging"), RenderOptions.none()), 15);
    }

    @Test
    void productionObjectsAreValid() throws Exception {
        RenderedManifests manifests = ManifestRenderer.render(Repository.file("manifests/overlays/production"), RenderOptions.none());
        assertValid(manifests, 15);
        var route = manifests.find("HTTPRoute", "vllm-chatbot").orElseThrow();
        assertEquals("/v1", route.at("/spec/rules/0/matches/0/path/value").asText());
        assertEquals(1, route.at("/spec/rules").size(), "/v1 and nothing else");
        assertEquals("vllm-service", route.at("/spec/rules/0/backendRefs/0/name").asText());
        assertEquals(8000, route.at("/spec/rules/0/backendRefs/0/port").asInt());
        assertEquals("vllm-chatbot", route.at("/spec/parentRefs/0/name").asText());
        var lbConfig = manifests.find("LoadBalancerConfiguration", "vllm-chatbot").orElseThrow();
        assertEquals("idle_timeout.timeout_seconds", lbConfig.at("/spec/loadBalancerAttributes/0/key").asText());
        assertEquals("600", lbConfig.at("/spec/loadBalancerAttributes/0/value").asText());
        assertEquals("HTTPS:443", lbConfig.at("/spec/listenerConfigurations/0/protocolPort").asText());
        assertEquals("LoadBalancerConfiguration", manifests.find("Gateway", "vllm-chatbot").orElseThrow()
                .at("/spec/infrastructure/parametersRef/kind").asText());
        assertTrue(manifests.ofKind("Ingress").isEmpty(), "ingress-nginx is retired: no Ingress by default");
    }

    @Test
    void envoyGatewayAndRetiredIngressComponentsAreValid(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path base = Repository.file("manifests/base");
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n- " + dir.relativize(base) + "\ncomponents:\n- "
                + dir.relativize(Repository.file("manifests/components/gateway-envoy")) + "\n- "
                + dir.relativize(Repository.file("manifests/components/ingress-nginx")) + "\n");
        RenderedManifests manifests = ManifestRenderer.render(dir, RenderOptions.none());
        assertEquals("eg", manifests.find("Gateway", "vllm-chatbot").orElseThrow().at("/spec/gatewayClassName").asText());
        assertEquals("600s", manifests.find("ClientTrafficPolicy", "vllm-chatbot").orElseThrow().at("/spec/timeout/http/idleTimeout").asText());
        var backend = manifests.find("BackendTrafficPolicy", "vllm-chatbot").orElseThrow();
        assertEquals("600s", backend.at("/spec/timeout/http/requestTimeout").asText());
        assertEquals("HTTPRoute", backend.at("/spec/targetRefs/0/kind").asText());
        assertTrue(manifests.find("Ingress", "vllm-chatbot").isPresent());
        assertValid(manifests, 13);
    }

    @Test
    void productionWithKedaComponentIsValid(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path overlay = Repository.file("manifests/overlays/production");
        Path keda = Repository.file("manifests/components/keda");
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n- " + dir.relativize(overlay) + "\ncomponents:\n- " + dir.relativize(keda) + "\n");
        RenderedManifests manifests = ManifestRenderer.render(dir, RenderOptions.none());
        assertTrue(manifests.find("ScaledObject", "vllm-chatbot-scaler").isPresent());
        assertTrue(manifests.ofKind("HorizontalPodAutoscaler").isEmpty(), "the KEDA component replaces the HPA");
        assertValid(manifests, 15);
    }

    @Test
    void theValidatorRejectsABrokenObject() throws Exception {
        RenderedManifests manifests = ManifestRenderer.render(Repository.file("manifests/overlays/production"), RenderOptions.none());
        var deployment = manifests.find("Deployment", "vllm-chatbot").orElseThrow().deepCopy();
        deployment.with("spec").put("replicas", "two");
        Result result = validate(List.of(deployment));
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("replicas must be integer"), result.output());
    }

    private static void assertValid(RenderedManifests manifests, int expectedObjects) throws Exception {
        Result result = validate(manifests.objects().stream()
                .filter(o -> !WITHOUT_MODEL.contains(o.path("apiVersion").asText().replaceFirst("/.*", ""))).toList());
        assertEquals(0, result.exitCode(), "kubernetes-models rejected objects:\n" + result.output());
        long validated = result.output().lines().filter(l -> l.contains("\"ok\":true")).count();
        assertEquals(expectedObjects, validated, result.output());
    }

    record Result(int exitCode, String output) {
    }

    private static Result validate(List<com.fasterxml.jackson.databind.node.ObjectNode> objects) throws IOException, InterruptedException {
        Path tools = Repository.file(".tools/node");
        for (String pkg : List.of("kubernetes-models", "@kubernetes-models/prometheus-operator", "@kubernetes-models/keda",
                "@kubernetes-models/gateway-api")) {
            if (!Files.isDirectory(tools.resolve("node_modules").resolve(pkg))) {
                fail(pkg + " not found in " + tools + ": " + INSTALL_HINT);
            }
        }
        Path script = tools.resolve("kubernetes-models-validate.mjs");
        Files.copy(Repository.file("cli/src/test/resources/validators/kubernetes-models-validate.mjs"), script,
                StandardCopyOption.REPLACE_EXISTING);
        Process node = new ProcessBuilder("node", script.toString()).directory(tools.toFile())
                .redirectErrorStream(true).start();
        node.getOutputStream().write(ManifestYaml.writeJsonList(objects).getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("the node validator did not finish in 60 s");
        }
        return new Result(node.exitValue(), output);
    }
}
