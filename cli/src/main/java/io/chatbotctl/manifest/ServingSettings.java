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
 */
public record ServingSettings(String configMap, double modelParameters, double modelSizeBytes, String dtype,
                              String quantization, double gpuMemoryUtilization, int tensorParallelSize,
                              int maxModelLen) {

    static ServingSettings from(RenderedManifests manifests) {
        ObjectNode config = manifests.ofKind("ConfigMap").stream()
                .filter(c -> KubeObjects.name(c).equals(ManifestRenderer.SETTINGS_CONFIGMAP)
                        || KubeObjects.name(c).startsWith(ManifestRenderer.SETTINGS_CONFIGMAP + "-"))
                .findFirst().orElse(null);
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
                (int) number(data, "MAX_MODEL_LEN").orElse(0));
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
