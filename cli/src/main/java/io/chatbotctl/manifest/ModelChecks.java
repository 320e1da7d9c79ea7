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
        quantizationKernel(ctx, w, s, gpu.get());
        boolean knownPrecision = ModelFootprint.quantized(s.quantization())
                ? !Double.isNaN(ModelFootprint.quantizedBytes(s.quantization())) : !Double.isNaN(ModelFootprint.dtypeBytes(s.dtype()));
        if (Double.isNaN(s.modelParameters()) || !knownPrecision) {
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
        ModelFootprint.Geometry g = s.geometry();
        ModelFootprint.Estimate e = ModelFootprint.estimate(s.modelParameters(), g, s.quantization(), s.dtype(),
                s.kvCacheDtype(), s.profiledTokens(), gpu.get().gpuMemoryGiB(), s.gpuMemoryUtilization(), gpus);
        String precision = ModelFootprint.quantized(s.quantization()) ? s.quantization()
                + (g == null ? "" : ", embeddings and lm_head 16-bit") : s.dtype();
        String memory = String.format(Locale.ROOT, "%.2fB params (%s) = %s weights + %s overhead (CUDA context, activations of a %d-token profile run, CUDA graphs); budget %d x %.1f GiB %s x %.2f = %s",
                s.modelParameters() / 1e9, precision, ModelFootprint.gib(e.weightsBytes()), ModelFootprint.gib(e.overheadBytes()),
                s.profiledTokens(), gpus, gpu.get().gpuMemoryGiB(), gpu.get().gpuModel(), s.gpuMemoryUtilization(),
                ModelFootprint.gib(e.budgetBytes()));
        if (!e.weightsFit()) {
            ctx.error(check, w, "does not fit: " + memory + ", nothing left for the KV cache");
            return;
        }
        if (g == null) {
            ctx.warning(check, w, "KV cache not sized: the model's geometry is unknown (set MODEL_LAYERS, MODEL_KV_HEADS, MODEL_HEAD_DIM, MODEL_HIDDEN_SIZE, MODEL_VOCAB_SIZE in "
                    + s.configMap() + "); " + ModelFootprint.gib(e.kvCacheBytes()) + " left for it: " + memory);
            return;
        }
        String kv = String.format(Locale.ROOT, "KV cache %s / %s per token (%d layers x %d KV heads x %d x 2 x %.0f B) = %,.0f tokens",
                ModelFootprint.gib(e.kvCacheBytes()), ModelFootprint.kib(e.kvBytesPerToken()), g.layers(), g.kvHeads(), g.headDim(),
                ModelFootprint.kvElementBytes(s.kvCacheDtype(), s.dtype()), e.kvTokens());
        if (s.maxModelLen() > 0 && e.kvTokens() < s.maxModelLen()) {
            ctx.error(check, w, String.format(Locale.ROOT, "does not fit: %s, fewer than one max-model-len sequence (%d): vLLM refuses to start; %s",
                    kv, s.maxModelLen(), memory));
        } else if (s.maxModelLen() > 0 && s.maxNumSeqs() > 0 && e.sequences(s.maxModelLen()) < s.maxNumSeqs()) {
            ctx.warning(check, w, String.format(Locale.ROOT, "%s = %.1f full-length sequences of %d (vLLM's \"Maximum concurrency\"), fewer than max-num-seqs %d: at full length requests wait or are preempted (shorter ones share the cache); %s",
                    kv, e.sequences(s.maxModelLen()), s.maxModelLen(), s.maxNumSeqs(), memory));
        } else {
            ctx.ok(check, w, kv + (s.maxModelLen() > 0 ? String.format(Locale.ROOT, " = %.1f full-length sequences of %d", e.sequences(s.maxModelLen()), s.maxModelLen()) : "")
                    + "; " + memory);
        }
    }

    /**
     * vLLM runs an AWQ (GPTQ) checkpoint with its Marlin kernel on compute capability 8.0 and above when the
     * quantization is {@code awq_marlin} ({@code gptq_marlin}) or left to auto-detection; an explicit {@code awq}
     * ({@code gptq}) forces the slower kernel (vLLM's awq_marlin.py logs "Use quantization=awq_marlin for faster
     * inference"); asked for on an older GPU, a Marlin method makes vLLM refuse to start, as every method below its
     * minimum capability does.
     */
    static void quantizationKernel(LintContext ctx, ObjectNode w, ServingSettings s, GpuCatalog.GpuInstance gpu) {
        String check = "quantization-kernel";
        String q = s.quantization();
        if ((q.equals("awq_marlin") || q.equals("gptq_marlin")) && !gpu.runsMarlin()) {
            ctx.error(check, w, String.format(Locale.ROOT, "QUANTIZATION %s needs compute capability 8.0 and %s has %.1f: vLLM refuses to start"
                    + " (\"not supported for the current GPU\"); set %s", q, gpu.gpuModel(), gpu.computeCapability(), q.replace("_marlin", "")));
        } else if (!q.equals("awq") && !q.equals("gptq")) {
            ctx.ok(check, w, "quantization " + q);
        } else if (gpu.runsMarlin()) {
            ctx.warning(check, w, String.format(Locale.ROOT, "QUANTIZATION %s forces vLLM's slower %s kernel on %s (compute capability %.1f): set %s_marlin"
                    + " (or leave --quantization out so vLLM picks %s_marlin from the checkpoint), the fast path on this GPU", q, q, gpu.gpuModel(),
                    gpu.computeCapability(), q, q));
        } else {
            ctx.ok(check, w, String.format(Locale.ROOT, "quantization %s: %s (compute capability %.1f) has no Marlin kernel", q, gpu.gpuModel(), gpu.computeCapability()));
        }
    }

    /**
     * Init containers run before any probe: the sync must fit in the Deployment's progress deadline together
     * with the load, and the load in the startup probe's budget.
     */
    static void startupBudget(LintContext ctx, ObjectNode w, ServingSettings s) {
        String check = "startup-budget";
        double sizeBytes = !Double.isNaN(s.modelSizeBytes()) ? s.modelSizeBytes()
                : ModelFootprint.weightBytes(s.modelParameters(), s.geometry(), s.quantization(), s.dtype());
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
