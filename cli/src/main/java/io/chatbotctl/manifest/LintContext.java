package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** What the checks share: the manifests, the serving settings, and the findings so far. */
final class LintContext {
    static final String GPU = "nvidia.com/gpu";

    final RenderedManifests manifests;
    final ServingSettings settings;
    /** The prometheus-adapter rules of the manifests tree, when lint knows where the manifests came from. */
    final java.util.Optional<AdapterRules> adapterRules;
    final List<LintFinding> findings = new ArrayList<>();
    private PromqlLint promqlLint;

    LintContext(RenderedManifests manifests, java.util.Optional<AdapterRules> adapterRules) {
        this.manifests = manifests;
        this.settings = ServingSettings.from(manifests);
        this.adapterRules = adapterRules;
    }

    /** The PromQL checker for the vLLM version the manifests run (the pinned one when they run none). */
    PromqlLint promqlLint() {
        if (promqlLint == null) {
            io.chatbotctl.core.vllm.VllmCatalog catalog = workloads().stream()
                    .map(CatalogChecks::vllmContainer).flatMap(java.util.Optional::stream)
                    .map(c -> CatalogChecks.catalogOf(ImageRef.parse(c.path("image").asText())))
                    .flatMap(java.util.Optional::stream)
                    .findFirst().orElseGet(io.chatbotctl.core.vllm.VllmCatalog::pinned);
            promqlLint = new PromqlLint(catalog, CatalogChecks.recordingRules(manifests), CatalogChecks.scrapeLabels(manifests));
        }
        return promqlLint;
    }

    void error(String check, JsonNode object, String message) {
        findings.add(new LintFinding(check, Severity.ERROR, KubeObjects.describe(object), message));
    }

    void warning(String check, JsonNode object, String message) {
        findings.add(new LintFinding(check, Severity.WARNING, KubeObjects.describe(object), message));
    }

    void ok(String check, JsonNode object, String message) {
        findings.add(new LintFinding(check, Severity.INFO, KubeObjects.describe(object), message));
    }

    /** Deployments, StatefulSets, DaemonSets and Jobs: objects with a pod template. */
    List<ObjectNode> workloads() {
        List<ObjectNode> workloads = new ArrayList<>();
        for (ObjectNode o : manifests.objects()) {
            if (BuiltinFieldSpecs.POD_TEMPLATE_KINDS.contains(KubeObjects.kind(o))) {
                workloads.add(o);
            }
        }
        return workloads;
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    /** Workloads that run on GPUs: a container asks for nvidia.com/gpu or the node selector names a GPU instance type. */
    List<ObjectNode> gpuWorkloads() {
        return workloads().stream().filter(w -> {
            JsonNode pod = podSpec(w);
            String type = pod.path("nodeSelector").path(ServiceShape.INSTANCE_TYPE_LABEL).asText(null);
            return GpuCatalog.lookup(type).isPresent() || gpuLimit(pod) > 0 || gpuRequest(pod) > 0;
        }).toList();
    }

    static int gpuLimit(JsonNode pod) {
        int gpus = 0;
        for (JsonNode c : pod.path("containers")) {
            gpus += c.path("resources").path("limits").path(GPU).asInt(0);
        }
        return gpus;
    }

    static int gpuRequest(JsonNode pod) {
        int gpus = 0;
        for (JsonNode c : pod.path("containers")) {
            gpus += c.path("resources").path("requests").path(GPU).asInt(0);
        }
        return gpus;
    }

    static List<JsonNode> allContainers(JsonNode pod) {
        List<JsonNode> containers = new ArrayList<>();
        pod.path("initContainers").forEach(containers::add);
        pod.path("containers").forEach(containers::add);
        return containers;
    }
}
