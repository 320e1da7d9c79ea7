package io.chatbotctl.manifest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * GPU memory a model needs in vLLM, the one arithmetic that lint's model-fits and {@code cost estimate} share:
 * weights by component (under 4- and 8-bit weight quantization the embeddings and the output layer stay 16-bit),
 * the runtime overhead (CUDA context outside PyTorch, the activation peak of vLLM's profile run, CUDA graphs), and
 * what is left of {@code GPU memory x gpu-memory-utilization} for the KV cache, which the model's geometry turns into
 * tokens. The figures and their sources are in docs/manifests.md ("Model fits").
 */
public final class ModelFootprint {
    private ModelFootprint() {}

    public static final double GIB = 1024.0 * 1024 * 1024;

    /** CUDA context and NCCL outside PyTorch: vLLM's "non_torch_memory" for Llama-3.1-8B on a 24 GB GPU (0.35 GiB). */
    public static final double NON_TORCH_BYTES = 0.35 * GIB;
    /** Activation peak of the profile run per batched token for a 4096-wide model: 2.07 GiB at 20,000 tokens. */
    public static final double ACTIVATION_BYTES_PER_TOKEN_4096 = 2.07 * GIB / 20_000;
    /** CUDA graph capture: vLLM logs 0.2 to 0.6 GiB ("Graph capturing finished ... took"); the upper end. */
    public static final double CUDA_GRAPH_BYTES = 0.5 * GIB;
    /** Tokens of vLLM's profile run when MAX_NUM_BATCHED_TOKENS is not set: the largest of its defaults. */
    public static final int DEFAULT_BATCHED_TOKENS = 8192;
    /** AWQ/GPTQ store a 16-bit scale and a 4-bit zero point per group of 128 weights. */
    private static final double GROUP_BYTES_PER_WEIGHT = (2 + 0.5) / 128;

    /**
     * What the KV cache and the 16-bit layers depend on, from the model's config.json.
     *
     * @param layers     {@code num_hidden_layers}
     * @param kvHeads    {@code num_key_value_heads}
     * @param headDim    {@code head_dim} (hidden size / attention heads)
     * @param hiddenSize {@code hidden_size}
     * @param vocabSize  {@code vocab_size}
     * @param tiedEmbeddings {@code tie_word_embeddings}: the output layer shares the embedding matrix
     */
    public record Geometry(String name, int layers, int kvHeads, int headDim, int hiddenSize, int vocabSize,
                           boolean tiedEmbeddings) {
        /** Parameters of the embedding matrix and the output layer (lm_head). */
        public double embeddingParameters() {
            return (tiedEmbeddings ? 1.0 : 2.0) * vocabSize * hiddenSize;
        }

        /** K and V of every layer for one token. */
        public double kvBytesPerToken(double kvElementBytes) {
            return 2.0 * layers * kvHeads * headDim * kvElementBytes;
        }
    }

    /** Llama-3.1-8B(-Instruct) config.json; the AWQ checkpoints keep the same geometry. */
    public static final Geometry LLAMA_3_1_8B = new Geometry("Llama-3.1-8B", 32, 8, 128, 4096, 128256, false);
    public static final Geometry LLAMA_3_1_70B = new Geometry("Llama-3.1-70B", 80, 8, 128, 8192, 128256, false);
    private static final Map<String, Geometry> KNOWN = Map.of(
            "llama-3.1-8b", LLAMA_3_1_8B, "llama-3-8b", LLAMA_3_1_8B,
            "llama-3.1-70b", LLAMA_3_1_70B, "llama-3-70b", LLAMA_3_1_70B);

    /** The geometry of a model named like {@code llama-3.1-8b-instruct-awq} or {@code Meta-Llama-3.1-8B-Instruct}. */
    public static Optional<Geometry> known(String... modelNames) {
        for (String name : modelNames) {
            String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
            for (var e : KNOWN.entrySet()) {
                if (n.contains(e.getKey())) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private static final List<String> FOUR_BIT = List.of("awq", "awq_marlin", "gptq", "gptq_marlin", "marlin",
            "bitsandbytes", "gguf", "squeezellm");
    private static final List<String> EIGHT_BIT = List.of("fp8", "int8", "compressed-tensors", "experts_int8");
    private static final Map<String, Double> DTYPES = Map.of("auto", 2.0, "half", 2.0, "float16", 2.0,
            "bfloat16", 2.0, "float", 4.0, "float32", 4.0);

    /** Bytes per element of a dtype ({@code auto} is the checkpoint's 16-bit); NaN when unknown. */
    public static double dtypeBytes(String dtype) {
        return DTYPES.getOrDefault(dtype == null ? "auto" : dtype, Double.NaN);
    }

    /** Bytes per quantized weight (with group scales for 4-bit); NaN when the quantization is unknown. */
    public static double quantizedBytes(String quantization) {
        if (FOUR_BIT.contains(quantization)) {
            return 0.5 + GROUP_BYTES_PER_WEIGHT;
        }
        return EIGHT_BIT.contains(quantization) ? 1.0 : Double.NaN;
    }

    static boolean quantized(String quantization) {
        return quantization != null && !quantization.isEmpty() && !quantization.equals("none");
    }

    /** KV cache bytes per element: {@code auto} follows the dtype, {@code fp8*} is 1. */
    public static double kvElementBytes(String kvCacheDtype, String dtype) {
        String kv = kvCacheDtype == null ? "auto" : kvCacheDtype;
        if (kv.startsWith("fp8")) {
            return 1.0;
        }
        return kv.equals("auto") ? dtypeBytes(dtype) : dtypeBytes(kv);
    }

    /**
     * The weights: unquantized, every parameter at the dtype's size; quantized, the embeddings and the output layer
     * at 16 bits (when the geometry is known) and the rest at the quantized size. NaN when the quantization or dtype
     * is unknown.
     */
    public static double weightBytes(double parameters, Geometry geometry, String quantization, String dtype) {
        if (!quantized(quantization)) {
            return parameters * dtypeBytes(dtype);
        }
        double embeddings = geometry == null ? 0 : geometry.embeddingParameters();
        return embeddings * 2.0 + (parameters - embeddings) * quantizedBytes(quantization);
    }

    /** CUDA context + activation peak of the profile run + CUDA graphs, per GPU. */
    public static double overheadBytes(Geometry geometry, int batchedTokens) {
        double width = geometry == null ? 4096 : geometry.hiddenSize();
        return NON_TORCH_BYTES + batchedTokens * ACTIVATION_BYTES_PER_TOKEN_4096 * width / 4096 + CUDA_GRAPH_BYTES;
    }

    /**
     * The arithmetic for one replica.
     *
     * @param weightsBytes     all weights (split across the tensor-parallel GPUs)
     * @param overheadBytes    runtime overhead on all its GPUs
     * @param budgetBytes      GPU memory x gpu-memory-utilization x GPUs
     * @param kvCacheBytes     what is left for the KV cache (negative when the rest does not fit)
     * @param kvBytesPerToken  per token across all GPUs; NaN when the geometry is unknown
     * @param kvTokens         tokens the KV cache holds; NaN when the geometry is unknown
     */
    public record Estimate(double weightsBytes, double overheadBytes, double budgetBytes, double kvCacheBytes,
                           double kvBytesPerToken, double kvTokens) {
        public boolean weightsFit() {
            return kvCacheBytes > 0;
        }

        /** How many sequences of {@code length} tokens the KV cache holds at once (vLLM's "Maximum concurrency"). */
        public double sequences(int length) {
            return length <= 0 ? Double.NaN : kvTokens / length;
        }
    }

    public static Estimate estimate(double parameters, Geometry geometry, String quantization, String dtype,
                                    String kvCacheDtype, int batchedTokens, double gpuMemoryGiB,
                                    double gpuMemoryUtilization, int gpus) {
        double weights = weightBytes(parameters, geometry, quantization, dtype);
        double overhead = overheadBytes(geometry, batchedTokens) * gpus;
        double budget = gpuMemoryGiB * GIB * gpuMemoryUtilization * gpus;
        double kv = budget - weights - overhead;
        double perToken = geometry == null ? Double.NaN : geometry.kvBytesPerToken(kvElementBytes(kvCacheDtype, dtype));
        return new Estimate(weights, overhead, budget, kv, perToken, kv / perToken);
    }

    static String gib(double bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / GIB);
    }

    static String kib(double bytes) {
        return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024);
    }
}
