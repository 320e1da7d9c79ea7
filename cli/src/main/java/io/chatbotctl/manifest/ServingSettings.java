package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The serving settings of the {@code vllm-config} ConfigMap that lint reasons about.
 *
 * @param configMap            the ConfigMap's rendered name
 * @param modelParameters      parameter count ({@code MODEL_PARAMETERS}, e.g. {@code 8.03e9}), NaN when absent
 * @param modelSizeBytes       size of the weights in S3 ({@code MODEL_SIZE_BYTES}), NaN when absent
 * @param dtype                {@code DTYPE}: auto, float16, bfloat16, float32
 * @param quantization         {@code QUANTIZATION}: awq, gptq, fp8, ... or none
 * @param gpuMemoryUtilization {@code GPU_MEMORY_UTILIZATION}, vLLM's default 0.9 when absent
 * @param tensorParallelSize   {@code TENSOR_PARALLEL_SIZE}, 1 when absent
 * @param maxModelLen          {@code MAX_MODEL_LEN}, 0 when absent
 * @param maxNumSeqs           {@code MAX_NUM_SEQS}, 0 when absent
 * @param maxNumBatchedTokens  {@code MAX_NUM_BATCHED_TOKENS}, 0 when absent
 * @param kvCacheDtype         {@code KV_CACHE_DTYPE}: auto (the dtype), fp8, fp8_e4m3, fp8_e5m2
 * @param geometry             the model's layers, KV heads and sizes: from {@code MODEL_LAYERS},
 *                             {@code MODEL_KV_HEADS}, {@code MODEL_HEAD_DIM}, {@code MODEL_HIDDEN_SIZE},
 *                             {@code MODEL_VOCAB_SIZE} when all are set, else known from {@code MODEL_NAME}; null when
 *                             neither
 */
public record ServingSettings(String configMap, double modelParameters, double modelSizeBytes, String dtype,
                              String quantization, double gpuMemoryUtilization, int tensorParallelSize,
                              int maxModelLen, int maxNumSeqs, int maxNumBatchedTokens, String kvCacheDtype,
                              ModelFootprint.Geometry geometry) {

    /** {@code vllm-config} (or its hashed name), else the ConfigMap a GPU container takes its environment from. */
    static ServingSettings from(RenderedManifests manifests) {
        java.util.Set<String> referenced = gpuEnvConfigMaps(manifests);
        ObjectNode config = manifests.ofKind("ConfigMap").stream()
                .filter(c -> KubeObjects.name(c).equals(ManifestRenderer.SETTINGS_CONFIGMAP)
                        || KubeObjects.name(c).startsWith(ManifestRenderer.SETTINGS_CONFIGMAP + "-"))
                .findFirst()
                .or(() -> manifests.ofKind("ConfigMap").stream().filter(c -> referenced.contains(KubeObjects.name(c))).findFirst())
                .orElse(null);
        if (config == null) {
            return null;
        }
        JsonNode data = config.path("data");
        return new ServingSettings(KubeObjects.name(config),
                number(data, "MODEL_PARAMETERS").orElse(Double.NaN),
                number(data, "MODEL_SIZE_BYTES").orElse(Double.NaN),
                data.path("DTYPE").asText("auto").toLowerCase(Locale.ROOT),
                data.path("QUANTIZATION").asText("none").toLowerCase(Locale.ROOT),
                number(data, "GPU_MEMORY_UTILIZATION").orElse(0.9),
                (int) number(data, "TENSOR_PARALLEL_SIZE").orElse(1),
                (int) number(data, "MAX_MODEL_LEN").orElse(0),
                (int) number(data, "MAX_NUM_SEQS").orElse(0),
                (int) number(data, "MAX_NUM_BATCHED_TOKENS").orElse(0),
                data.path("KV_CACHE_DTYPE").asText("auto").toLowerCase(Locale.ROOT),
                geometry(data));
    }

    /** MODEL_* geometry keys when all are set, else the built-in geometry of a known model name. */
    private static ModelFootprint.Geometry geometry(JsonNode data) {
        OptionalDouble layers = number(data, "MODEL_LAYERS");
        OptionalDouble kvHeads = number(data, "MODEL_KV_HEADS");
        OptionalDouble headDim = number(data, "MODEL_HEAD_DIM");
        OptionalDouble hidden = number(data, "MODEL_HIDDEN_SIZE");
        OptionalDouble vocab = number(data, "MODEL_VOCAB_SIZE");
        if (layers.isPresent() && kvHeads.isPresent() && headDim.isPresent() && hidden.isPresent() && vocab.isPresent()) {
            return new ModelFootprint.Geometry(data.path("MODEL_NAME").asText("model"), (int) layers.getAsDouble(),
                    (int) kvHeads.getAsDouble(), (int) headDim.getAsDouble(), (int) hidden.getAsDouble(),
                    (int) vocab.getAsDouble(), data.path("MODEL_TIED_EMBEDDINGS").asText("false").equals("true"));
        }
        return ModelFootprint.known(data.path("MODEL_NAME").asText(""), data.path("SERVED_MODEL_NAME").asText(""))
                .orElse(null);
    }

    /** The tokens of vLLM's memory-profiling run: MAX_NUM_BATCHED_TOKENS, else the largest default. */
    public int profiledTokens() {
        return maxNumBatchedTokens > 0 ? maxNumBatchedTokens : ModelFootprint.DEFAULT_BATCHED_TOKENS;
    }

    /** ConfigMaps named in {@code envFrom} of containers that ask for a GPU (a renamed or prefixed vllm-config). */
    private static java.util.Set<String> gpuEnvConfigMaps(RenderedManifests manifests) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ObjectNode o : manifests.objects()) {
            for (JsonNode c : o.path("spec").path("template").path("spec").path("containers")) {
                if (c.path("resources").path("limits").path(LintContext.GPU).asInt(0) > 0) {
                    c.path("envFrom").forEach(e -> {
                        if (e.path("configMapRef").has("name")) {
                            names.add(e.path("configMapRef").path("name").asText());
                        }
                    });
                }
            }
        }
        return names;
    }

    private static OptionalDouble number(JsonNode data, String key) {
        JsonNode value = data.get(key);
        if (value == null || value.isNull()) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(value.asText().trim().replace("_", "")));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
