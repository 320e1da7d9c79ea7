package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/** Does the model fit the GPU, and do the probes and the progress deadline leave time to fetch and load it? */
final class ModelChecks {
    private ModelChecks() {}

    /** Assumed S3 to local NVMe throughput of the model-loader (bytes/s): conservative for a g5's 10+ Gbit/s. */
    static final double SYNC_BYTES_PER_SECOND = 200e6;
    /** Assumed disk to GPU load throughput (bytes/s), and fixed start-up time (CUDA init, graph capture). */
    static final double LOAD_BYTES_PER_SECOND = 1e9;
    static final double LOAD_FIXED_SECONDS = 90;

    static void run(LintContext ctx) {
        for (ObjectNode w : ctx.gpuWorkloads()) {
            if (ctx.settings == null) {
                ctx.error("model-fits", w, "no ConfigMap " + ManifestRenderer.SETTINGS_CONFIGMAP + ": the model and its settings are unknown");
                continue;
            }
            modelFits(ctx, w, ctx.settings);
            startupBudget(ctx, w, ctx.settings);
        }
    }

    static void modelFits(LintContext ctx, ObjectNode w, ServingSettings s) {
        String check = "model-fits";
        JsonNode pod = LintContext.podSpec(w);
        String type = pod.path("nodeSelector").path(ServiceShape.INSTANCE_TYPE_LABEL).asText(null);
        var gpu = GpuCatalog.lookup(type);
        if (gpu.isEmpty()) {
            ctx.error(check, w, "node selector " + ServiceShape.INSTANCE_TYPE_LABEL + "=" + type
                    + " is not a known GPU instance type (docs/manifests.md lists them)");
            return;
        }
        double bytesPerParameter = ModelFootprint.bytesPerParameter(s.quantization(), s.dtype());
        if (Double.isNaN(s.modelParameters()) || Double.isNaN(bytesPerParameter)) {
            ctx.error(check, w, "cannot size the model: set MODEL_PARAMETERS and a known DTYPE/QUANTIZATION in " + s.configMap()
                    + " (found dtype " + s.dtype() + ", quantization " + s.quantization() + ")");
            return;
        }
        if (s.gpuMemoryUtilization() <= 0 || s.gpuMemoryUtilization() > 1) {
            ctx.error(check, w, "GPU_MEMORY_UTILIZATION " + s.gpuMemoryUtilization() + " is not in (0, 1]");
            return;
        }
        int gpus = Math.max(1, s.tensorParallelSize());
        int perReplica = Math.max(LintContext.gpuLimit(pod), 1);
        if (gpus > perReplica) {
            ctx.error(check, w, "tensor parallel size " + gpus + " needs " + gpus + " GPUs but the pod gets " + perReplica);
            return;
        }
        double weights = ModelFootprint.weightsBytes(s.modelParameters(), bytesPerParameter);
        double required = ModelFootprint.requiredBytes(weights);
        double budget = gpu.get().gpuMemoryGiB() * ModelFootprint.GIB * s.gpuMemoryUtilization() * gpus;
        String detail = String.format(Locale.ROOT, "%.2fB params x %.2f B (%s) = %.1f GiB weights, %.1f GiB with overhead; budget %d x %.1f GiB %s x %.2f = %.1f GiB",
                s.modelParameters() / 1e9, bytesPerParameter, s.quantization().equals("none") ? s.dtype() : s.quantization(),
                weights / ModelFootprint.GIB, required / ModelFootprint.GIB, gpus, gpu.get().gpuMemoryGiB(),
                gpu.get().gpuModel(), s.gpuMemoryUtilization(), budget / ModelFootprint.GIB);
        if (required > budget) {
            ctx.error(check, w, "does not fit: " + detail);
        } else if (budget - required < ModelFootprint.GIB) {
            ctx.warning(check, w, "fits with under 1 GiB left for KV cache: " + detail);
        } else {
            ctx.ok(check, w, String.format(Locale.ROOT, "fits, %.1f GiB left for KV cache: %s", (budget - required) / ModelFootprint.GIB, detail));
        }
    }

    /**
     * Init containers run before any probe: the sync must fit in the Deployment's progress deadline together
     * with the load, and the load in the startup probe's budget.
     */
    static void startupBudget(LintContext ctx, ObjectNode w, ServingSettings s) {
        String check = "startup-budget";
        double sizeBytes = !Double.isNaN(s.modelSizeBytes()) ? s.modelSizeBytes()
                : s.modelParameters() * ModelFootprint.bytesPerParameter(s.quantization(), s.dtype());
        if (Double.isNaN(sizeBytes)) {
            ctx.warning(check, w, "model size unknown (MODEL_SIZE_BYTES): cannot check the startup budget");
            return;
        }
        double syncSeconds = sizeBytes / SYNC_BYTES_PER_SECOND;
        double loadSeconds = sizeBytes / LOAD_BYTES_PER_SECOND + LOAD_FIXED_SECONDS;
        for (JsonNode c : LintContext.podSpec(w).path("containers")) {
            if (c.path("resources").path("limits").path(LintContext.GPU).asInt(0) == 0) {
                continue;
            }
            JsonNode probe = c.path("startupProbe");
            if (probe.isMissingNode()) {
                ctx.error(check, w, "container " + c.path("name").asText() + " has no startup probe: liveness would kill it while the model loads");
                continue;
            }
            int budget = probe.path("initialDelaySeconds").asInt(0) + probe.path("periodSeconds").asInt(10) * probe.path("failureThreshold").asInt(3);
            if (budget < loadSeconds) {
                ctx.error(check, w, String.format(Locale.ROOT, "startup probe allows %ds but loading %.1f GB takes about %.0fs", budget, sizeBytes / 1e9, loadSeconds));
            } else {
                ctx.ok(check, w, String.format(Locale.ROOT, "startup probe allows %ds for a load of about %.0fs", budget, loadSeconds));
            }
        }
        if (KubeObjects.kind(w).equals("Deployment")) {
            int deadline = w.path("spec").path("progressDeadlineSeconds").asInt(600);
            if (deadline < syncSeconds + loadSeconds) {
                ctx.error(check, w, String.format(Locale.ROOT, "progressDeadlineSeconds %d is shorter than sync (~%.0fs) + load (~%.0fs): rollouts would be declared failed", deadline, syncSeconds, loadSeconds));
            } else {
                ctx.ok(check, w, String.format(Locale.ROOT, "progressDeadlineSeconds %d covers sync (~%.0fs) + load (~%.0fs)", deadline, syncSeconds, loadSeconds));
            }
        }
    }
}
