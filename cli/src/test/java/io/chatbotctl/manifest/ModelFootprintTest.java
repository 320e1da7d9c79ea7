package io.chatbotctl.manifest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The arithmetic against what vLLM itself reported for Llama-3.1-8B (sources in docs/manifests.md). */
class ModelFootprintTest {
    private static final double GIB = ModelFootprint.GIB;

    @Test
    void fp16WeightsAreWhatVllmLoads() {
        // vLLM: "Loading model weights took 14.9888 GB" (GiB) for Llama-3.1-8B-Instruct; "model weights take 14.96GiB".
        double weights = ModelFootprint.weightBytes(8.03e9, ModelFootprint.LLAMA_3_1_8B, "none", "float16");
        assertEquals(14.96, weights / GIB, 0.05);
    }

    @Test
    void awqKeepsEmbeddingsAndLmHeadAt16BitsAndMatchesTheCheckpointSize() {
        double embeddings = ModelFootprint.LLAMA_3_1_8B.embeddingParameters() * 2;
        assertEquals(1.96, embeddings / GIB, 0.01, "embed_tokens + lm_head, 2 x 128256 x 4096 x 2 B");
        double awq = ModelFootprint.weightBytes(8.03e9, ModelFootprint.LLAMA_3_1_8B, "awq", "float16");
        // The AWQ checkpoint's safetensors total 5.73 GB (MODEL_SIZE_BYTES of the production overlay).
        assertEquals(5.73e9, awq, 0.01 * 5.73e9);
    }

    @Test
    void kvCacheTokensMatchVllmsBlockCount() {
        // vLLM on a 24 GB RTX 3090, Llama-3.1-8B-Instruct fp16, gpu_memory_utilization 0.90, 20,000-token profile:
        // total_gpu_memory=23.58GiB, non_torch_memory=0.35GiB, peak_torch_memory=17.06GiB, kv_cache_size=3.81GiB,
        // "# GPU blocks: 1952" (16 tokens each), "Maximum concurrency for 20000 tokens per request: 1.56x".
        assertEquals(131072, ModelFootprint.LLAMA_3_1_8B.kvBytesPerToken(2), "128 KiB per token");
        assertEquals(3.81, 1952 * 16 * 131072.0 / GIB, 0.01, "vLLM's blocks x block size x bytes per token = its KV size");
        ModelFootprint.Estimate e = ModelFootprint.estimate(8.03e9, ModelFootprint.LLAMA_3_1_8B, "none", "float16", "auto",
                20_000, 23.58, 0.90, 1);
        // That vLLM did not reserve CUDA graph memory inside the budget: ours is lower by exactly that reserve.
        assertEquals(3.81, (e.kvCacheBytes() + ModelFootprint.CUDA_GRAPH_BYTES) / GIB, 0.05);
        assertEquals(1.56, (e.kvTokens() + ModelFootprint.CUDA_GRAPH_BYTES / e.kvBytesPerToken()) / 20_000, 0.03);
    }
}
