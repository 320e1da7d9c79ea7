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
            "resources-set", "no-latest-tag", "model-fits", "vllm-catalog", "vllm-flags", "promql-series");

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
                assertTrue(report.of(check).stream().allMatch(f -> f.severity() == Severity.info), report.of(check).toString());
            }
        }
    }

    @Test
    void gpuRequestMustEqualLimit() {
        LintReport unequal = ManifestFixture.production()
                .vllmContainer(c -> c.with("resources").with("limits").put("nvidia.com/gpu", 2)).lint();
        assertSeverity(unequal, "gpu-request-limit", Severity.error, "requests 1 GPU(s) but limits 2");
        assertTrue(unequal.hasErrors());
        LintReport noLimit = ManifestFixture.production()
                .vllmContainer(c -> c.with("resources").with("limits").remove("nvidia.com/gpu")).lint();
        assertSeverity(noLimit, "gpu-request-limit", Severity.error, "without a limit");
        LintReport none = ManifestFixture.production().vllmContainer(c -> {
            c.with("resources").with("limits").remove("nvidia.com/gpu");
            c.with("resources").with("requests").remove("nvidia.com/gpu");
        }).lint();
        assertSeverity(none, "gpu-request-limit", Severity.error, "no container asks for nvidia.com/gpu");
    }

    @Test
    void tolerationsMustMatchTheSelectedNodes() {
        LintReport noGpuToleration = ManifestFixture.production()
                .deployment(d -> ManifestFixture.pod(d).withArray("tolerations").remove(0)).lint();
        assertSeverity(noGpuToleration, "gpu-tolerations", Severity.error, "nvidia.com/gpu:NoSchedule");
        LintReport spotWithoutToleration = ManifestFixture.staging()
                .deployment(d -> ManifestFixture.pod(d).withArray("tolerations").remove(1)).lint();
        assertSeverity(spotWithoutToleration, "gpu-tolerations", Severity.error, "SPOT:NoSchedule");
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
        assertSeverity(tp2.lint(), "shm-volume", Severity.error, "tensor parallel size 2");
        LintReport tp1 = ManifestFixture.production().vllmContainer(c -> c.withArray("volumeMounts").remove(1)).lint();
        assertSeverity(tp1, "shm-volume", Severity.warning, "64 MiB");
    }

    @Test
    void startupBudgetCoversSyncAndLoad() {
        LintReport shortProbe = ManifestFixture.production()
                .vllmContainer(c -> c.with("startupProbe").put("failureThreshold", 3)).lint();
        assertSeverity(shortProbe, "startup-budget", Severity.error, "startup probe allows 30s");
        LintReport shortDeadline = ManifestFixture.production()
                .deployment(d -> d.with("spec").put("progressDeadlineSeconds", 60)).lint();
        assertSeverity(shortDeadline, "startup-budget", Severity.error, "progressDeadlineSeconds 60");
        LintReport noProbe = ManifestFixture.production().vllmContainer(c -> c.remove("startupProbe")).lint();
        assertSeverity(noProbe, "startup-budget", Severity.error, "no startup probe");
        LintReport bigModel = ManifestFixture.production().setting("MODEL_SIZE_BYTES", "800000000000").lint();
        assertSeverity(bigModel, "startup-budget", Severity.error, "loading 800.0 GB takes about 890s");
        assertSeverity(bigModel, "startup-budget", Severity.error, "shorter than sync (~4000s) + load (~890s)");
    }

    @Test
    void readinessProbesVllmHealth() {
        LintReport wrongPath = ManifestFixture.production()
                .vllmContainer(c -> c.with("readinessProbe").with("httpGet").put("path", "/v1/models")).lint();
        assertSeverity(wrongPath, "readiness-health", Severity.error, "checks /v1/models");
        LintReport none = ManifestFixture.production().vllmContainer(c -> c.remove("readinessProbe")).lint();
        assertSeverity(none, "readiness-health", Severity.error, "no HTTP readiness probe");
    }

    @Test
    void rolloutKeepsEveryReplica() {
        LintReport one = ManifestFixture.production()
                .deployment(d -> d.with("spec").with("strategy").with("rollingUpdate").put("maxUnavailable", 1)).lint();
        assertSeverity(one, "max-unavailable-zero", Severity.error, "maxUnavailable is 1");
        LintReport defaulted = ManifestFixture.production()
                .deployment(d -> d.with("spec").remove("strategy")).lint();
        assertSeverity(defaulted, "max-unavailable-zero", Severity.error, "25% (default)");
    }

    @Test
    void hpaBoundsAreSane() {
        LintReport inverted = ManifestFixture.production().change("HorizontalPodAutoscaler", "vllm-chatbot-hpa",
                h -> h.with("spec").put("minReplicas", 5).put("maxReplicas", 3)).lint();
        assertSeverity(inverted, "hpa-bounds", Severity.error, "maxReplicas 3 < minReplicas 5");
        LintReport zero = ManifestFixture.production().change("HorizontalPodAutoscaler", "vllm-chatbot-hpa",
                h -> h.with("spec").put("minReplicas", 0)).lint();
        assertSeverity(zero, "hpa-bounds", Severity.error, "minReplicas 0 < 1");
        LintReport orphan = ManifestFixture.production().change("HorizontalPodAutoscaler", "vllm-chatbot-hpa",
                h -> h.with("spec").with("scaleTargetRef").put("name", "gone")).lint();
        assertSeverity(orphan, "hpa-bounds", Severity.error, "scales gone, which is not in the manifests");
        LintReport outside = ManifestFixture.production().deployment(d -> d.with("spec").put("replicas", 7)).lint();
        assertSeverity(outside, "hpa-bounds", Severity.warning, "outside 2-4");
    }

    @Test
    void hpaMetricIsServedByTheAdapterRule() {
        LintReport unserved = ManifestFixture.production().change("HorizontalPodAutoscaler", "vllm-chatbot-hpa",
                h -> ((com.fasterxml.jackson.databind.node.ObjectNode) h.with("spec").withArray("metrics").get(0)).with("pods").with("metric").put("name", "vllm_queue")).lint();
        assertSeverity(unserved, "hpa-metric", Severity.error, "vllm_queue is served by no prometheus-adapter rule");
        LintReport noAdapter = ManifestFixture.production().lintDetached();
        assertSeverity(noAdapter, "hpa-metric", Severity.error, "no prometheus-adapter rules found");
        LintReport served = ManifestFixture.production().lint();
        assertSeverity(served, "hpa-metric", Severity.info,
                "the adapter runs sum(vllm:num_requests_waiting{namespace=\"ai-serving\",pod=~\"<pods>\"}) by (pod)");
    }

    /** A ConfigMap of adapter rules next to the app is what the HPA used to rely on: prometheus-adapter never reads it. */
    @Test
    void adapterRulesInTheAppNamespaceAreDead() {
        LintReport dead = ManifestFixture.production().change("ConfigMap", "vllm-config", c -> c.with("data")
                .put("config.yaml", "rules:\n- seriesQuery: 'vllm:num_requests_waiting'\n")).lint();
        assertSeverity(dead, "hpa-metric", Severity.warning, "prometheus-adapter does not read this ConfigMap");
    }

    /** The HPA's chain ends in the catalog: an adapter query on a series this vLLM does not serve is an error. */
    @Test
    void adapterQueryMustSelectCatalogSeries(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path tree = copyTree(dir);
        java.nio.file.Path values = tree.resolve(AdapterRules.VALUES);
        java.nio.file.Files.writeString(values, java.nio.file.Files.readString(values)
                .replace("vllm:num_requests_waiting{namespace", "vllm:num_requests_queued{namespace")
                .replace("^vllm:num_requests_waiting$", "^vllm:num_requests_queued$"));
        LintReport report = ManifestLinter.lint(ManifestRenderer.render(tree.resolve("overlays/production"), RenderOptions.none()),
                tree.resolve("overlays/production").toString());
        assertSeverity(report, "hpa-metric", Severity.error, "vllm:num_requests_queued is not served by vLLM 0.12.0");
    }

    private static java.nio.file.Path copyTree(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path source = io.chatbotctl.testing.Repository.file("manifests");
        try (var paths = java.nio.file.Files.walk(source)) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) paths::iterator) {
                java.nio.file.Path target = dir.resolve("manifests").resolve(source.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(p, target);
                }
            }
        }
        return dir.resolve("manifests");
    }

    @Test
    void aVllmImageWithoutACatalogIsCheckedAgainstThePinnedOne() {
        LintReport unknown = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai:v0.99.0")).lint();
        assertSeverity(unknown, "vllm-catalog", Severity.warning,
                "no catalog for vLLM image vllm/vllm-openai:v0.99.0: its flags and queries are checked against the pinned vLLM 0.12.0");
        LintReport build = ManifestFixture.production().vllmContainer(c -> c.put("image", "registry/vllm-openai:v0.12.0-cu129")).lint();
        assertSeverity(build, "vllm-catalog", Severity.info, "vLLM 0.12.0 (registry/vllm-openai:v0.12.0-cu129)");
    }

    /** Every flag of the vLLM container exists in the pinned version; a removed one stops vLLM at startup. */
    @Test
    void vllmFlagsExistInThePinnedVersion() {
        LintReport removed = ManifestFixture.production()
                .vllmContainer(c -> c.withArray("args").add("--disable-log-requests")).lint();
        assertSeverity(removed, "vllm-flags", Severity.error,
                "--disable-log-requests was removed from vLLM before 0.12.0: vLLM stops at startup; pass --no-enable-log-requests");
        LintReport unknown = ManifestFixture.production()
                .vllmContainer(c -> c.withArray("args").add("--max-num-sequences=8")).lint();
        assertSeverity(unknown, "vllm-flags", Severity.error, "--max-num-sequences (from '--max-num-sequences=8') is not a flag of vLLM 0.12.0");
        LintReport expanded = ManifestFixture.production().setting("PREFIX_CACHING", "prefix-caching-please").lint();
        assertSeverity(expanded, "vllm-flags", Severity.error, "--prefix-caching-please (from '--$(PREFIX_CACHING)')");
        LintReport badValue = ManifestFixture.production().setting("MAX_NUM_SEQS", "many").lint();
        assertSeverity(badValue, "vllm-flags", Severity.error, "--max-num-seqs=many is not a valid int");
        LintReport off = ManifestFixture.production().setting("PREFIX_CACHING", "no-enable-prefix-caching").lint();
        assertTrue(off.of("vllm-flags").stream().allMatch(f -> f.severity() == Severity.info), off.of("vllm-flags").toString());
    }

    /** Two catalogs: the shipped queries pass against 0.12.0 and fail against a version without the ITL histogram. */
    @Test
    void itlQueryAgainstAVersionWithoutTheItlHistogramIsAnError() {
        LintReport pinned = ManifestFixture.production().lint();
        assertTrue(pinned.of("promql-series").stream().allMatch(f -> f.severity() == Severity.info), pinned.of("promql-series").toString());
        LintReport older = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai:v0.0.1-test")).lint();
        assertSeverity(older, "promql-series", Severity.error,
                "vllm:inter_token_latency_seconds_bucket is not served by vLLM 0.0.1-test");
        assertTrue(older.of("promql-series").stream().anyMatch(f -> f.severity() == Severity.error
                && f.object().equals("PrometheusRule/vllm-chatbot-alerts")), older.of("promql-series").toString());
        assertTrue(older.of("promql-series").stream().anyMatch(f -> f.severity() == Severity.error
                && f.object().startsWith("ConfigMap/vllm-chatbot-dashboard-")), older.of("promql-series").toString());
    }

    @Test
    void promqlLabelsMustBeOnTheSeries() {
        LintReport wrongLabel = withFirstAlert("sum(vllm:num_requests_waiting{deployment=\"vllm-chatbot\"}) > 20");
        assertSeverity(wrongLabel, "promql-series", Severity.error, "vllm:num_requests_waiting has no label deployment");
        LintReport removedSeries = withFirstAlert("max(vllm:gpu_cache_usage_perc) > 0.9");
        assertSeverity(removedSeries, "promql-series", Severity.error, "use vllm:kv_cache_usage_perc");
    }

    private static LintReport withFirstAlert(String expr) {
        return ManifestFixture.production().change("PrometheusRule", "vllm-chatbot-alerts", r ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) r.with("spec").withArray("groups").get(1)
                        .withArray("rules").get(0)).put("expr", expr)).lint();
    }

    @Test
    void pdbLeavesPodsEvictable() {
        LintReport blocking = ManifestFixture.production().change("PodDisruptionBudget", "vllm-chatbot-pdb", p -> {
            p.with("spec").remove("maxUnavailable");
            p.with("spec").put("minAvailable", 2);
        }).lint();
        assertSeverity(blocking, "pdb-replicas", Severity.error, "minAvailable 2 with 2 replica(s)");
        LintReport zero = ManifestFixture.production().change("PodDisruptionBudget", "vllm-chatbot-pdb",
                p -> p.with("spec").put("maxUnavailable", 0)).lint();
        assertSeverity(zero, "pdb-replicas", Severity.error, "maxUnavailable 0");
        LintReport fine = ManifestFixture.production().change("PodDisruptionBudget", "vllm-chatbot-pdb", p -> {
            p.with("spec").remove("maxUnavailable");
            p.with("spec").put("minAvailable", 1);
        }).lint();
        assertSeverity(fine, "pdb-replicas", Severity.info, "leaves 1 of 2");
    }

    @Test
    void everyContainerSetsResources() {
        LintReport report = ManifestFixture.production()
                .deployment(d -> ((com.fasterxml.jackson.databind.node.ObjectNode) ManifestFixture.pod(d).withArray("initContainers").get(0)).remove("resources")).lint();
        assertSeverity(report, "resources-set", Severity.error, "model-loader lacks requests.cpu, requests.memory, limits.memory");
    }

    @Test
    void imagesHaveFixedTags() {
        LintReport latest = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai:latest")).lint();
        assertSeverity(latest, "no-latest-tag", Severity.error, "vllm (vllm/vllm-openai:latest)");
        LintReport untagged = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai")).lint();
        assertSeverity(untagged, "no-latest-tag", Severity.error, "floating image tag");
        LintReport digest = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai@sha256:" + "a".repeat(64))).lint();
        assertSeverity(digest, "no-latest-tag", Severity.info, "fixed tag or digest");
    }

    @Test
    void modelMustFitTheGpu() {
        LintReport awq = ManifestFixture.production().lint();
        assertSeverity(awq, "model-fits", Severity.info, "3.7 GiB weights");
        LintReport fp16 = ManifestFixture.production().setting("QUANTIZATION", "none").lint();
        assertSeverity(fp16, "model-fits", Severity.info, "15.0 GiB weights");
        LintReport fp32 = ManifestFixture.production().setting("QUANTIZATION", "none").setting("DTYPE", "float32").lint();
        assertSeverity(fp32, "model-fits", Severity.error, "does not fit: 8.03B params x 4.00 B (float32)");
        LintReport seventyB = ManifestFixture.production().setting("MODEL_PARAMETERS", "70.6e9").lint();
        assertSeverity(seventyB, "model-fits", Severity.error, "does not fit");
        LintReport t4 = ManifestFixture.production().setting("QUANTIZATION", "none")
                .deployment(d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "g4dn.xlarge")).lint();
        assertSeverity(t4, "model-fits", Severity.error, "NVIDIA T4");
        LintReport lowUtilization = ManifestFixture.production().setting("QUANTIZATION", "none").setting("GPU_MEMORY_UTILIZATION", "0.5").lint();
        assertSeverity(lowUtilization, "model-fits", Severity.error, "x 0.50");
        LintReport unknownType = ManifestFixture.production()
                .deployment(d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "m5.large")).lint();
        assertTrue(unknownType.of("model-fits").isEmpty() || unknownType.hasErrors());
        LintReport unknownGpuType = ManifestFixture.production()
                .deployment(d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "x9.gpu")).lint();
        assertSeverity(unknownGpuType, "model-fits", Severity.error, "not a known GPU instance type");
        LintReport noParameters = ManifestFixture.production().change("ConfigMap", "vllm-config", c -> c.with("data").remove("MODEL_PARAMETERS")).lint();
        assertSeverity(noParameters, "model-fits", Severity.error, "set MODEL_PARAMETERS");
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
