package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each lint check on the real overlays (passing) and on a broken copy (failing). */
class ManifestLinterTest {

    private static final List<String> CHECKS = List.of("gpu-request-limit", "gpu-tolerations", "shm-volume",
            "startup-budget", "readiness-health", "max-unavailable-zero", "hpa-bounds", "hpa-metric", "pdb-replicas",
            "resources-set", "no-latest-tag", "model-fits", "no-api-token", "quantization-kernel", "service-through-proxy", "vllm-loopback",
            "probes-reach-vllm", "scrape-port", "vllm-catalog", "vllm-flags", "promql-series");
    /** What the shipped overlays warn about (docs/manifests.md, "Model fits"). */
    private static final List<String> SHIPPED_WARNINGS = List.of("model-fits");

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
            assertEquals(SHIPPED_WARNINGS.size(), report.warnings(), report.findings().toString());
            assertSeverity(report, "model-fits", Severity.WARNING, "fewer than max-num-seqs");
            for (String check : CHECKS) {
                assertFalse(report.of(check).isEmpty(), "check " + check + " did not run");
                assertTrue(SHIPPED_WARNINGS.contains(check) || report.of(check).stream().allMatch(f -> f.severity() == Severity.INFO),
                        report.of(check).toString());
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
        LintReport wrongCommand = ManifestFixture.production()
                .vllmContainer(c -> c.with("readinessProbe").with("exec").putArray("command").add("true")).lint();
        assertSeverity(wrongCommand, "readiness-health", Severity.ERROR, "does not ask vLLM's /health");
        LintReport wrongPath = ManifestFixture.production().vllmContainer(c -> httpProbe(c, "readinessProbe", "/v1/models", 8080)).lint();
        assertSeverity(wrongPath, "readiness-health", Severity.ERROR, "checks /v1/models");
        LintReport none = ManifestFixture.production().vllmContainer(c -> c.remove("readinessProbe")).lint();
        assertSeverity(none, "readiness-health", Severity.ERROR, "has no readiness probe on vLLM's /health");
    }

    /** The other way the pod's layout allows: vLLM's readiness through the proxy's /ready on the proxy's port. */
    @Test
    void readinessThroughTheProxysReadyPasses() {
        LintReport report = ManifestFixture.production().vllmContainer(c -> httpProbe(c, "readinessProbe", "/ready", 8080)).lint();
        assertSeverity(report, "readiness-health", Severity.INFO, "on the proxy's /ready");
        assertSeverity(report, "probes-reach-vllm", Severity.INFO, "reach vLLM on 127.0.0.1:8000");
        assertFalse(report.hasErrors(), report.findings().toString());
    }

    @Test
    void theServiceReachesThePodOnlyThroughTheProxy() {
        LintReport good = ManifestFixture.production().lint();
        assertSeverity(good, "service-through-proxy", Severity.INFO,
                "reaches the pod only through http (8000) → proxy:8080 (http), metrics (9400) → proxy:9400 (metrics)");

        LintReport byNumber = ManifestFixture.production().change("Service", "vllm-service",
                s -> ((ObjectNode) s.with("spec").withArray("ports").get(0)).put("targetPort", 8000)).lint();
        assertSeverity(byNumber, "service-through-proxy", Severity.ERROR, "port http (8000) targets 8000, container vllm's port: it reaches vLLM around the proxy");
        assertTrue(byNumber.hasErrors());

        LintReport byName = ManifestFixture.production()
                .vllmContainer(c -> c.putArray("ports").addObject().put("name", "vllm").put("containerPort", 8000))
                .change("Service", "vllm-service", s -> ((ObjectNode) s.with("spec").withArray("ports").get(0)).put("targetPort", "vllm")).lint();
        assertSeverity(byName, "service-through-proxy", Severity.ERROR, "targets vllm, container vllm's port");

        LintReport nowhere = ManifestFixture.production().change("Service", "vllm-service",
                s -> ((ObjectNode) s.with("spec").withArray("ports").get(1)).put("targetPort", "prometheus")).lint();
        assertSeverity(nowhere, "service-through-proxy", Severity.ERROR, "targets prometheus, which no container of the pod declares");
    }

    /** A second Service next to the stable one, selecting the same pods: the classic way around a sidecar. */
    @Test
    void aSecondServiceAroundTheProxyIsRefused() {
        ManifestFixture fixture = ManifestFixture.production();
        ObjectNode direct = fixture.copyOf("Service", "vllm-service");
        direct.with("metadata").put("name", "vllm-direct");
        ArrayNode ports = direct.with("spec").putArray("ports");
        ports.addObject().put("name", "direct").put("port", 8000).put("targetPort", 8000);
        LintReport report = fixture.add(direct).lint();
        assertTrue(report.findings().stream().anyMatch(f -> f.check().equals("service-through-proxy")
                && f.severity() == Severity.ERROR && f.object().equals("Service/vllm-direct")
                && f.message().contains("reaches vLLM around the proxy")), report.findings().toString());
        assertTrue(report.findings().stream().anyMatch(f -> f.check().equals("service-through-proxy")
                && f.severity() == Severity.INFO && f.object().equals("Service/vllm-service")), report.findings().toString());
    }

    @Test
    void theServiceMonitorScrapesAPortTheServiceNames() {
        assertSeverity(ManifestFixture.production().lint(), "scrape-port", Severity.INFO, "scrapes vllm-service:metrics");
        LintReport oldPort = ManifestFixture.production().change("ServiceMonitor", "vllm-chatbot",
                m -> ((ObjectNode) m.with("spec").withArray("endpoints").get(0)).put("port", "http-metrics")).lint();
        assertSeverity(oldPort, "scrape-port", Severity.ERROR, "port 'http-metrics' is not a port of Service vllm-service");
        LintReport noMetricsPort = ManifestFixture.production()
                .change("Service", "vllm-service", s -> s.with("spec").withArray("ports").remove(1)).lint();
        assertSeverity(noMetricsPort, "scrape-port", Severity.ERROR, "port 'metrics' is not a port of Service vllm-service");
        LintReport nothing = ManifestFixture.production().change("ServiceMonitor", "vllm-chatbot",
                m -> m.with("spec").with("selector").with("matchLabels").put("app.kubernetes.io/name", "other")).lint();
        assertSeverity(nothing, "scrape-port", Severity.WARNING, "selects no Service");
    }

    @Test
    void vllmListensOnLoopbackWhileAServiceSelectsThePod() {
        LintReport open = ManifestFixture.production().vllmContainer(c -> replaceArg(c, "--host=", "--host=0.0.0.0")).lint();
        assertSeverity(open, "vllm-loopback", Severity.ERROR,
                "listens on 0.0.0.0:8000 while Service vllm-service selects the pod");
        LintReport defaulted = ManifestFixture.production().vllmContainer(c -> replaceArg(c, "--host=", null)).lint();
        assertSeverity(defaulted, "vllm-loopback", Severity.ERROR, "listens on every interface:8000");
        LintReport noService = ManifestFixture.production().vllmContainer(c -> replaceArg(c, "--host=", "--host=0.0.0.0"))
                .remove("Service", "vllm-service").lint();
        assertSeverity(noService, "vllm-loopback", Severity.INFO, "no Service selects the pod");
        LintReport otherTrack = ManifestFixture.production().vllmContainer(c -> replaceArg(c, "--host=", "--host=0.0.0.0"))
                .change("Service", "vllm-service", s -> s.with("spec").with("selector").put("chatbotctl.io/track", "canary")).lint();
        assertSeverity(otherTrack, "vllm-loopback", Severity.INFO, "no Service selects the pod");
    }

    @Test
    void probesMustReachAVllmOnLoopback() {
        LintReport podIp = ManifestFixture.production().vllmContainer(c -> httpProbe(c, "livenessProbe", "/health", 8000)).lint();
        assertSeverity(podIp, "probes-reach-vllm", Severity.ERROR, "livenessProbe httpGet :8000 cannot reach vLLM on 127.0.0.1:8000");
        LintReport otherContainersPort = ManifestFixture.production().vllmContainer(c -> httpProbe(c, "startupProbe", "/ready", "http")).lint();
        assertSeverity(otherContainersPort, "probes-reach-vllm", Severity.ERROR,
                "startupProbe names port 'http', which container vllm does not declare");
        LintReport onPodIp = ManifestFixture.production().vllmContainer(c -> {
            replaceArg(c, "--host=", "--host=0.0.0.0");
            httpProbe(c, "livenessProbe", "/health", 8000);
        }).remove("Service", "vllm-service").lint();
        assertSeverity(onPodIp, "probes-reach-vllm", Severity.INFO, "reach vLLM on 0.0.0.0:8000");
    }

    /** Replaces the probe's exec handler with an httpGet on the path and port. */
    private static void httpProbe(ObjectNode container, String probe, String path, Object port) {
        container.with(probe).remove("exec");
        ObjectNode http = container.with(probe).with("httpGet").put("path", path);
        if (port instanceof Integer number) {
            http.put("port", number);
        } else {
            http.put("port", port.toString());
        }
    }

    private static void replaceArg(ObjectNode container, String prefix, String replacement) {
        ArrayNode args = container.withArray("args");
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).asText().startsWith(prefix)) {
                if (replacement == null) {
                    args.remove(i);
                } else {
                    args.set(i, args.textNode(replacement));
                }
                return;
            }
        }
        throw new AssertionError("no argument " + prefix + " in " + args);
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
        LintReport noAdapter = ManifestFixture.production().lintDetached();
        assertSeverity(noAdapter, "hpa-metric", Severity.ERROR, "no prometheus-adapter rules found");
        LintReport served = ManifestFixture.production().lint();
        assertSeverity(served, "hpa-metric", Severity.INFO,
                "the adapter runs sum(vllm:num_requests_waiting{namespace=\"ai-serving\",pod=~\"<pods>\"}) by (pod)");
    }

    /** A ConfigMap of adapter rules next to the app is what the HPA used to rely on: prometheus-adapter never reads it. */
    @Test
    void adapterRulesInTheAppNamespaceAreDead() {
        LintReport dead = ManifestFixture.production().change("ConfigMap", "vllm-config", c -> c.with("data")
                .put("config.yaml", "rules:\n- seriesQuery: 'vllm:num_requests_waiting'\n")).lint();
        assertSeverity(dead, "hpa-metric", Severity.WARNING, "prometheus-adapter does not read this ConfigMap");
    }

    /** The HPA's chain ends in the catalog: an adapter query on a series this vLLM does not serve is an error. */
    @Test
    void adapterQueryMustSelectCatalogSeries(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path tree = io.chatbotctl.testing.Repository.copyManifests(dir);
        java.nio.file.Path values = tree.resolve(AdapterRules.VALUES);
        java.nio.file.Files.writeString(values, java.nio.file.Files.readString(values)
                .replace("vllm:num_requests_waiting{namespace", "vllm:num_requests_queued{namespace")
                .replace("^vllm:num_requests_waiting$", "^vllm:num_requests_queued$"));
        LintReport report = ManifestLinter.lint(ManifestRenderer.render(tree.resolve("overlays/production"), RenderOptions.none()),
                tree.resolve("overlays/production").toString());
        assertSeverity(report, "hpa-metric", Severity.ERROR, "vllm:num_requests_queued is not served by vLLM 0.12.0");
    }

    @Test
    void aVllmImageWithoutACatalogIsCheckedAgainstThePinnedOne() {
        LintReport unknown = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai:v0.99.0")).lint();
        assertSeverity(unknown, "vllm-catalog", Severity.WARNING,
                "no catalog for vLLM image vllm/vllm-openai:v0.99.0: its flags and queries are checked against the pinned vLLM 0.12.0");
        LintReport build = ManifestFixture.production().vllmContainer(c -> c.put("image", "registry/vllm-openai:v0.12.0-cu129")).lint();
        assertSeverity(build, "vllm-catalog", Severity.INFO, "vLLM 0.12.0 (registry/vllm-openai:v0.12.0-cu129)");
    }

    /** Every flag of the vLLM container exists in the pinned version; a removed one stops vLLM at startup. */
    @Test
    void vllmFlagsExistInThePinnedVersion() {
        LintReport removed = ManifestFixture.production()
                .vllmContainer(c -> c.withArray("args").add("--disable-log-requests")).lint();
        assertSeverity(removed, "vllm-flags", Severity.ERROR,
                "--disable-log-requests was removed from vLLM before 0.12.0: vLLM stops at startup; pass --no-enable-log-requests");
        LintReport unknown = ManifestFixture.production()
                .vllmContainer(c -> c.withArray("args").add("--max-num-sequences=8")).lint();
        assertSeverity(unknown, "vllm-flags", Severity.ERROR, "--max-num-sequences (from '--max-num-sequences=8') is not a flag of vLLM 0.12.0");
        LintReport expanded = ManifestFixture.production().setting("PREFIX_CACHING", "prefix-caching-please").lint();
        assertSeverity(expanded, "vllm-flags", Severity.ERROR, "--prefix-caching-please (from '--$(PREFIX_CACHING)')");
        LintReport badValue = ManifestFixture.production().setting("MAX_NUM_SEQS", "many").lint();
        assertSeverity(badValue, "vllm-flags", Severity.ERROR, "--max-num-seqs=many is not a valid int");
        LintReport off = ManifestFixture.production().setting("PREFIX_CACHING", "no-enable-prefix-caching").lint();
        assertTrue(off.of("vllm-flags").stream().allMatch(f -> f.severity() == Severity.INFO), off.of("vllm-flags").toString());
    }

    /** Two catalogs: the shipped queries pass against 0.12.0 and fail against a version without the ITL histogram. */
    @Test
    void itlQueryAgainstAVersionWithoutTheItlHistogramIsAnError() {
        LintReport pinned = ManifestFixture.production().lint();
        assertTrue(pinned.of("promql-series").stream().allMatch(f -> f.severity() == Severity.INFO), pinned.of("promql-series").toString());
        LintReport older = ManifestFixture.production().vllmContainer(c -> c.put("image", "vllm/vllm-openai:v0.0.1-test")).lint();
        assertSeverity(older, "promql-series", Severity.ERROR,
                "vllm:inter_token_latency_seconds_bucket is not served by vLLM 0.0.1-test");
        assertTrue(older.of("promql-series").stream().anyMatch(f -> f.severity() == Severity.ERROR
                && f.object().equals("PrometheusRule/vllm-chatbot-alerts")), older.of("promql-series").toString());
        assertTrue(older.of("promql-series").stream().anyMatch(f -> f.severity() == Severity.ERROR
                && f.object().startsWith("ConfigMap/vllm-chatbot-dashboard-")), older.of("promql-series").toString());
    }

    @Test
    void promqlLabelsMustBeOnTheSeries() {
        LintReport wrongLabel = withFirstAlert("sum(vllm:num_requests_waiting{deployment=\"vllm-chatbot\"}) > 20");
        assertSeverity(wrongLabel, "promql-series", Severity.ERROR, "vllm:num_requests_waiting has no label deployment");
        LintReport removedSeries = withFirstAlert("max(vllm:gpu_cache_usage_perc) > 0.9");
        assertSeverity(removedSeries, "promql-series", Severity.ERROR, "use vllm:kv_cache_usage_perc");
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
    void modelMustFitTheGpuWithItsKvCache() {
        LintReport awq = ManifestFixture.production().lint();
        assertSeverity(awq, "model-fits", Severity.WARNING, "awq_marlin, embeddings and lm_head 16-bit) = 5.33 GiB weights + 1.70 GiB overhead");
        assertSeverity(awq, "model-fits", Severity.WARNING, "KV cache 13.21 GiB / 128 KiB per token (32 layers x 8 KV heads x 128 x 2 x 2 B) = 108,197 tokens"
                + " = 13.2 full-length sequences of 8192 (vLLM's \"Maximum concurrency\"), fewer than max-num-seqs 128");
        LintReport fewSeqs = ManifestFixture.production().setting("MAX_NUM_SEQS", "12").lint();
        assertSeverity(fewSeqs, "model-fits", Severity.INFO, "= 13.2 full-length sequences of 8192");
        LintReport fp8Kv = ManifestFixture.production().setting("MAX_NUM_SEQS", "24").setting("KV_CACHE_DTYPE", "fp8").lint();
        assertSeverity(fp8Kv, "model-fits", Severity.INFO, "64 KiB per token (32 layers x 8 KV heads x 128 x 2 x 1 B) = 216,393 tokens = 26.4 full-length");
        LintReport fp16 = ManifestFixture.production().setting("QUANTIZATION", "none").lint();
        assertSeverity(fp16, "model-fits", Severity.WARNING, "8.03B params (float16) = 14.96 GiB weights");
        assertSeverity(fp16, "model-fits", Severity.WARNING, "= 3.6 full-length sequences of 8192");
        LintReport fp16LongContext = ManifestFixture.production().setting("QUANTIZATION", "none").setting("MAX_MODEL_LEN", "32768").lint();
        assertSeverity(fp16LongContext, "model-fits", Severity.ERROR, "fewer than one max-model-len sequence (32768): vLLM refuses to start");
        LintReport fp32 = ManifestFixture.production().setting("QUANTIZATION", "none").setting("DTYPE", "float32").lint();
        assertSeverity(fp32, "model-fits", Severity.ERROR, "does not fit: 8.03B params (float32) = 29.91 GiB weights");
        LintReport seventyB = ManifestFixture.production().setting("MODEL_PARAMETERS", "70.6e9").lint();
        assertSeverity(seventyB, "model-fits", Severity.ERROR, "does not fit");
        LintReport t4 = ManifestFixture.production().setting("QUANTIZATION", "none")
                .deployment(d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "g4dn.xlarge")).lint();
        assertSeverity(t4, "model-fits", Severity.ERROR, "NVIDIA T4");
        LintReport lowUtilization = ManifestFixture.production().setting("QUANTIZATION", "none").setting("GPU_MEMORY_UTILIZATION", "0.5").lint();
        assertSeverity(lowUtilization, "model-fits", Severity.ERROR, "x 0.50");
        LintReport unknownModel = ManifestFixture.production().setting("MODEL_NAME", "mystery-7b").setting("SERVED_MODEL_NAME", "mystery").lint();
        assertSeverity(unknownModel, "model-fits", Severity.WARNING, "KV cache not sized: the model's geometry is unknown");
        LintReport declaredGeometry = ManifestFixture.production().setting("MODEL_NAME", "mystery-7b").setting("SERVED_MODEL_NAME", "mystery")
                .setting("MODEL_LAYERS", "32").setting("MODEL_KV_HEADS", "8").setting("MODEL_HEAD_DIM", "128")
                .setting("MODEL_HIDDEN_SIZE", "4096").setting("MODEL_VOCAB_SIZE", "128256").lint();
        assertSeverity(declaredGeometry, "model-fits", Severity.WARNING, "= 108,197 tokens");
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
    void awqOnAGpuWithMarlinKernelsShouldUseThem() {
        assertSeverity(ManifestFixture.production().setting("QUANTIZATION", "awq").lint(), "quantization-kernel", Severity.WARNING,
                "QUANTIZATION awq forces vLLM's slower awq kernel on NVIDIA A10G (compute capability 8.6): set awq_marlin");
        assertSeverity(ManifestFixture.production().setting("QUANTIZATION", "awq_marlin").lint(), "quantization-kernel", Severity.INFO, "awq_marlin");
        LintReport t4 = ManifestFixture.production().setting("QUANTIZATION", "awq")
                .deployment(d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "g4dn.xlarge")).lint();
        assertSeverity(t4, "quantization-kernel", Severity.INFO, "NVIDIA T4 (compute capability 7.5) has no Marlin kernel");
        LintReport t4Marlin = ManifestFixture.production()
                .deployment(d -> ManifestFixture.pod(d).with("nodeSelector").put("node.kubernetes.io/instance-type", "g4dn.xlarge")).lint();
        assertSeverity(t4Marlin, "quantization-kernel", Severity.ERROR, "awq_marlin needs compute capability 8.0 and NVIDIA T4 has 7.5");
        LintReport marlinAwqWeights = ManifestFixture.production().setting("QUANTIZATION", "awq_marlin").lint();
        assertEquals(marlinAwqWeights.of("model-fits").get(0).message().contains("5.33 GiB weights"), true, "same weights either kernel");
    }

    @Test
    void gpuPodMountsNoApiTokenWithoutAReason() {
        assertSeverity(ManifestFixture.production().lint(), "no-api-token", Severity.INFO, "the pod sets automountServiceAccountToken: false");
        LintReport podTrue = ManifestFixture.production().deployment(d -> ManifestFixture.pod(d).put("automountServiceAccountToken", true)).lint();
        assertSeverity(podTrue, "no-api-token", Severity.ERROR, "the pod sets automountServiceAccountToken: true");
        LintReport inherited = ManifestFixture.production().deployment(d -> ManifestFixture.pod(d).remove("automountServiceAccountToken")).lint();
        assertSeverity(inherited, "no-api-token", Severity.INFO, "ServiceAccount vllm-chatbot sets automountServiceAccountToken: false");
        LintReport defaulted = ManifestFixture.production().deployment(d -> ManifestFixture.pod(d).remove("automountServiceAccountToken"))
                .change("ServiceAccount", "vllm-chatbot", sa -> sa.remove("automountServiceAccountToken")).lint();
        assertSeverity(defaulted, "no-api-token", Severity.ERROR, "Kubernetes mounts it");
        LintReport withReason = ManifestFixture.production().deployment(d -> {
            ManifestFixture.pod(d).put("automountServiceAccountToken", true);
            d.with("metadata").with("annotations").put("chatbotctl.io/needs-api-token", "leader election");
        }).lint();
        assertSeverity(withReason, "no-api-token", Severity.INFO, "\"leader election\"");
        assertFalse(withReason.hasErrors(), withReason.findings().toString());
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
