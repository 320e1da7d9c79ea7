package io.chatbotctl.manifest;

import java.util.Map;

/**
 * GPU memory a model needs: parameters x bytes per parameter (by quantization, else dtype), plus an overhead
 * for the CUDA context, activations and quantization scales: 10% of the weights + 1.5 GiB. vLLM fills what is
 * left of GPU memory x gpu-memory-utilization with KV cache.
 */
public final class ModelFootprint {
    private ModelFootprint() {}

    public static final double GIB = 1024.0 * 1024 * 1024;
    public static final double OVERHEAD_FRACTION = 0.10;
    public static final double OVERHEAD_FIXED_BYTES = 1.5 * GIB;

    private static final Map<String, Double> QUANTIZED = Map.ofEntries(
            Map.entry("awq", 0.5), Map.entry("awq_marlin", 0.5), Map.entry("gptq", 0.5), Map.entry("gptq_marlin", 0.5),
            Map.entry("bitsandbytes", 0.5), Map.entry("gguf", 0.5), Map.entry("marlin", 0.5),
            Map.entry("squeezellm", 0.5), Map.entry("fp8", 1.0), Map.entry("compressed-tensors", 1.0),
            Map.entry("int8", 1.0), Map.entry("experts_int8", 1.0));

    private static final Map<String, Double> DTYPES = Map.of("auto", 2.0, "half", 2.0, "float16", 2.0,
            "bfloat16", 2.0, "float", 4.0, "float32", 4.0);

    /** Bytes per parameter for a quantization (or "none") and dtype; NaN when unknown. */
    public static double bytesPerParameter(String quantization, String dtype) {
        if (quantization != null && !quantization.isEmpty() && !quantization.equals("none")) {
            return QUANTIZED.getOrDefault(quantization, Double.NaN);
        }
        return DTYPES.getOrDefault(dtype == null ? "auto" : dtype, Double.NaN);
    }

    public static double weightsBytes(double parameters, double bytesPerParameter) {
        return parameters * bytesPerParameter;
    }

    public static double requiredBytes(double weightsBytes) {
        return weightsBytes * (1 + OVERHEAD_FRACTION) + OVERHEAD_FIXED_BYTES;
    }
}
