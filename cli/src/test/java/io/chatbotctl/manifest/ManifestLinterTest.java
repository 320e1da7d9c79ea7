package io.chatbotctl.manifest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each lint check on the real overlays (passing) and on a broken copy (failing). */
class ManifestLinterTest {

    private static final List<String> CHECKS = List.of("gpu-request-limit", "gpu-tolerations", "shm-volume",
            "startup-budget", "readiness-health", "max-unavailable-zero", "hpa-bounds", "hpa-metric", "pdb-replicas",
            "resources-set", "no-latest-tag", "model-fits");

    private static void assertSeverity(LintReport report, String check, Severity severity, String messagePart) {
        List<LintFinding> findings = report.of(check);
        assertTrue(findings.stream().anyMatch(f -> f.severity() == severity && f.message().contains(messagePart)),
                check + ": expected " + severity + " containing '" + messagePart + "', got " + findings);
    }

    @Test
    void bothOverlaysPassEveryCheck() {
        for (ManifestFixture overlay : List.of(ManifestFixture.production(), ManifestFixture.staging())) {
            LintReport report = overlay.lint();
            assertFalse(report.hasErrors(), report.findings().toString());
            assertEquals(0, report.warnings(), report.findings().toString());
            for (String check : CHECKS) {
                assertFalse(report.of(check).isEmpty(), "check " + check + " did not run");
                assertTrue(report.of(check).stream().allMatch(f -> f.severity() == Severity.INFO), report.of(check).toString());
            }
        }
    }

    @Test
    void gpuRequestMustEqualLimit() {
        LintReport unequal = ManifestFixture.production()
                .vllmContainer(c -> c.with("resources").with("limits").put("nvidia.com/gpu", 2)).lint();
        assertSeverity(unequal, "gpu-request-limit", Severity.ERROR, "requests 1 GPU(s) but limits 2");
        assertTrue(unequal.hasErrors());
        LintReport noLimit = ManifestFixture.production()
                .vllmContainer(c -> c.with("resources").with("limits").remove("nvidia.com/gpu")).lint();
        assertSeverity(noLimit, "gpu-request-limit", Severity.ERROR, "without a limit");
        LintReport none = ManifestFixture.production().vllmContainer(c -> {
            c.with("resources").with("limits").remove("nvidia.com/gpu");
            c.with("resources").with("requests").remove("nvidia.com/gpu");
        }).lint();
        assertSeverity(none, "gpu-request-limit", Severity.ERROR, "no container asks for nvidia.com/gpu");
    }

    @Test
    void tolerationsMustMatchTheSelectedNodes() {
        LintReport noGpuToleration = ManifestFixture.production()
                .deployment(d -> ManifestFixture.pod(d).withArray("tolerations").remove(0)).lint();
        assertSeverity(noGpuToleration, "gpu-tolerations", Severity.ERROR, "nvidia.com/gpu:NoSchedule");
        LintReport spotWithoutToleration = ManifestFixture.staging()
                .deployment(d -> ManifestFixture.pod(d).withArray("tolerations").remove(1)).lint();
        assertSeverity(spotWithoutToleration, "gpu-tolerations", Severity.ERROR, "SPOT:NoSchedule");
    }

    @Test
    void tensorParallelismNeedsSharedMemory() {
        ManifestFixture tp2 = ManifestFixture.production().setting("TENSOR_PARALLEL_SIZE", "2")
                .change("Deployment", "vllm-chatbot", d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "g5.12xlarge"))
                .vllmContainer(c -> {
                    c.with("resources").with("limits").put("nvidia.com/gpu", 2);
                    c.with("resources").with("requests").put("nvidia.com/gpu", 2);
                    c.withArray("volumeMounts").remove(1);
                });
        assertSeverity(tp2.lint(), "shm-volume", Severity.ERROR, "tensor parallel size 2");
        LintReport tp1 = ManifestFixture.production().vllmContainer(c -> c.withArray("volumeMounts").remove(1)).lint();
        assertSeverity(tp1, "shm-volume", Severity.WARNING, "64 MiB");
    }

    @Test
    void startupBudgetCoversSyncAndLoad() {
        LintReport shortProbe = ManifestFixture.production()
                .vllmContainer(c -> c.with("startupProbe").put("failureThreshold", 3)).lint();
        assertSeverity(shortProbe, "startup-budget", Severity.ERROR, "startup probe allows 30s");
        LintReport shortDeadline = ManifestFixture.production()
                .deployment(d -> d.with("spec").put("progressDeadlineSeconds", 60)).lint();
        assertSeverity(shortDeadline, "startup-budget", Severity.ERROR, "progressDeadlineSeconds 60");
        LintReport noProbe = ManifestFixture.production().vllmContainer(c -> c.remove("startupProbe")).lint();
        assertSeverity(noProbe, "startup-budget", Severity.ERROR, "no startup probe");
        LintReport bigModel = ManifestFixture.production().setting("MODEL_SIZE_BYTES", "800000000000").lint();
        assertSeverity(bigModel, "startup-budget", Severity.ERROR, "loading 800.0 GB takes about 890s");
        assertSeverity(bigModel, "startup-budget", Severity.ERROR, "shorter than sync (~4000s) + load (~890s)");
    }

    @Test
    void readinessProbesVllmHealth() {
        LintReport wrongPath = ManifestFixture.production()
                .vllmContainer(c -> c.with("readinessProbe").with("httpGet").put("path", "/v1/models")).lint();
        assertSeverity(wrongPath, "readiness-health", Severity.ERROR, "checks /v1/models");
        LintReport none = ManifestFixture.production().vllmContainer(c -> c.remove("readinessProbe")).lint();
        assertSeverity(none, "readiness-health", Severity.ERROR, "no HTTP readiness probe");
    }

    @Test
    void rolloutKeepsEveryReplica() {
        LintReport one = ManifestFixture.production()
                .deployment(d -> d.with("spec").with("strategy").with("rollingUpdate").put("maxUnavailable", 1)).lint();
        assertSeverity(one, "max-unavailable-zero", Severity.ERROR, "maxUnavailable is 1");
        LintReport defaulted = ManifestFixture.production()
                .deployment(d -> d.with("spec").remove("strategy")).lint();
        assertSeverity(defaulted, "max-unavailable-zero", Severity.ERROR, "25% (default)");
    }

    @Test
    void hpaBoundsAreSane() {
        LintReport inverted = ManifestFixture.production().change("HorizontalPodAutoscaler", "vllm-chatbot-hpa",
                h -> h.with("spec").put("minReplicas", 5).put("maxReplicas", 3)).lint();
        assertSeverity(inverted, "hpa-bounds", Severity.ERROR, "maxReplicas 3 < minReplicas 5");
        LintReport zero = ManifestFixture.production().change("HorizontalPodAutoscaler", "vllm-chatbot-hpa",
                h -> h.with("spec").put("minReplicas", 0)).lint();
        assertSeverity(zero, "hpa-bounds", Severity.ERROR, "minReplicas 0 < 1");
        LintReport orphan = ManifestFixture.production().change("HorizontalPodAutoscaler", "vllm-chatbot-hpa",
                h -> h.with("spec").with("scaleTargetRef").put("name", "gone")).lint();
        assertSeverity(orphan, "hpa-bounds", Severity.ERROR, "scales gone, which is not in the manifests");
        LintReport outside = ManifestFixture.production().deployment(d -> d.with("spec").put("replicas", 7)).lint();
        assertSeverity(outside, "hpa-bounds", Severity.WARNING, "outside 2-4");
    }

    @Test
    void hpaMetricIsServedByTheAdapterRule() {
        LintReport unserved = ManifestFixture.production().change("HorizontalPodAutoscaler", "vllm-chatbot-hpa",
                h -> ((com.fasterxml.jackson.databind.node.ObjectNode) h.with("spec").withArray("metrics").get(0)).with("pods").with("metric").put("name", "vllm_queue")).lint();
        assertSeverity(unserved, "hpa-metric", Severity.ERROR, "vllm_queue is served by no prometheus-adapter rule");
        LintReport noAdapter = ManifestFixture.production().remove("ConfigMap", "prometheus-adapter-vllm-rules").lint();
        assertSeverity(noAdapter, "hpa-metric", Severity.ERROR, "vllm_num_requests_waiting is served by no");
    }

    @Test
    void pdbLeavesPodsEvictable() {
        LintReport blocking = ManifestFixture.production().change("PodDisruptionBudget", "vllm-chatbot-pdb", p -> {
            p.with("spec").remove("maxUnavailable");
            p.with("spec").put("minAvailable", 2);
        }).lint();
        assertSeverity(blocking, "pdb-replicas", Severity.ERROR, "minAvailable 2 with 2 replica(s)");
        LintReport zero = ManifestFixture.production().change("PodDisruptionBudget", "vllm-chatbot-pdb",
                p -> p.with("spec").put("maxUnavailable", 0)).lint();
        assertSeverity(zero, "pdb-replicas", Severity.ERROR, "maxUnavailable 0");
        LintReport fine = ManifestFixture.production().change("PodDisruptionBudget", "vllm-chatbot-pdb", p -> {
            p.with("spec").remove("maxUnavailable");
            p.with("spec").put("minAvailable", 1);
        }).lint();
        assertSeverity(fine, "pdb-replicas", Severity.INFO, "leaves 1 of 2");
    }

    @Test
    void everyContainerSetsResources() {
        LintReport report = ManifestFixture.production()
                .deployment(d -> ((com.fasterxml.jackson.databind.node.ObjectNode) ManifestFixture.pod(d).withArray("initContainers").get(0)).remove("resources")).lint();
        assertSeverity(report, "resources-set", Severity.ERROR, "model-loader lacks requests.cpu, requests.memory, limits.memory");
    }

    @Test
    void imagesHaveFixedTags() {
        LintReport latest = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai:latest")).lint();
        assertSeverity(latest, "no-latest-tag", Severity.ERROR, "vllm (vllm/vllm-openai:latest)");
        LintReport untagged = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai")).lint();
        assertSeverity(untagged, "no-latest-tag", Severity.ERROR, "floating image tag");
        LintReport digest = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai@sha256:" + "a".repeat(64))).lint();
        assertSeverity(digest, "no-latest-tag", Severity.INFO, "fixed tag or digest");
    }

    @Test
    void modelMustFitTheGpu() {
        LintReport awq = ManifestFixture.production().lint();
        assertSeverity(awq, "model-fits", Severity.INFO, "3.7 GiB weights");
        LintReport fp16 = ManifestFixture.production().setting("QUANTIZATION", "none").lint();
        assertSeverity(fp16, "model-fits", Severity.INFO, "15.0 GiB weights");
        LintReport fp32 = ManifestFixture.production().setting("QUANTIZATION", "none").setting("DTYPE", "float32").lint();
        assertSeverity(fp32, "model-fits", Severity.ERROR, "does not fit: 8.03B params x 4.00 B (float32)");
        LintReport seventyB = ManifestFixture.production().setting("MODEL_PARAMETERS", "70.6e9").lint();
        assertSeverity(seventyB, "model-fits", Severity.ERROR, "does not fit");
        LintReport t4 = ManifestFixture.production().setting("QUANTIZATION", "none")
                .deployment(d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "g4dn.xlarge")).lint();
        assertSeverity(t4, "model-fits", Severity.ERROR, "NVIDIA T4");
        LintReport lowUtilization = ManifestFixture.production().setting("QUANTIZATION", "none").setting("GPU_MEMORY_UTILIZATION", "0.5").lint();
        assertSeverity(lowUtilization, "model-fits", Severity.ERROR, "x 0.50");
        LintReport unknownType = ManifestFixture.production()
                .deployment(d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "m5.large")).lint();
        assertTrue(unknownType.of("model-fits").isEmpty() || unknownType.hasErrors());
        LintReport unknownGpuType = ManifestFixture.production()
                .deployment(d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "x9.gpu")).lint();
        assertSeverity(unknownGpuType, "model-fits", Severity.ERROR, "not a known GPU instance type");
        LintReport noParameters = ManifestFixture.production().change("ConfigMap", "vllm-config", c -> c.with("data").remove("MODEL_PARAMETERS")).lint();
        assertSeverity(noParameters, "model-fits", Severity.ERROR, "set MODEL_PARAMETERS");
    }

    @Test
    void serviceShapeOfProduction() {
        ServiceShape shape = ManifestRenderer.render(io.chatbotctl.testing.Repository.file("manifests/overlays/production"), RenderOptions.none()).serviceShape();
        assertEquals("g5.2xlarge", shape.instanceType());
        assertEquals("NVIDIA A10G", shape.gpuModel());
        assertEquals(1, shape.gpusPerReplica());
        assertEquals(2, shape.minReplicas());
        assertEquals(4, shape.maxReplicas());
        assertEquals(2, shape.onDemandBaseReplicas());
        assertEquals(2, shape.spotMaxReplicas());
        assertEquals("on-demand+spot", shape.capacity());
        ServiceShape staging = ManifestRenderer.render(io.chatbotctl.testing.Repository.file("manifests/overlays/staging"), RenderOptions.none()).serviceShape();
        assertEquals(1, staging.maxReplicas());
        assertEquals("spot", staging.capacity());
    }
}
