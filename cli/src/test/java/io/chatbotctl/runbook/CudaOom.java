package io.chatbotctl.runbook;

/**
 * Two replicas on one GPU node: one Ready, one in CrashLoopBackOff (exit 1) with CUDA out of memory in its
 * previous log; {@code nvidia-smi} answers through exec in the running one.
 */
final class CudaOom {
    static final String CUDA_OOM_LOG = """
            INFO 11-25 19:02:11 [gpu_model_runner.py:1770] Model loading took 14.99 GiB and 41.2 seconds
            INFO 11-25 19:02:19 [gpu_worker.py:232] Available KV cache memory: 2.01 GiB
            ERROR 11-25 19:02:24 [core.py:632] torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.96 GiB. \
            GPU 0 has a total capacity of 22.05 GiB of which 1.12 GiB is free.
            """;
    static final String NVIDIA_SMI = """
            +-----------------------------------------------------------------------------------------+
            | NVIDIA-SMI 550.127.05             Driver Version: 550.127.05     CUDA Version: 12.4     |
            |   0  NVIDIA A10G                    On  |   00000000:00:1E.0 Off |                    0 |
            |  0%   33C    P0             58W /  300W |   21402MiB /  23028MiB |      0%      Default |
            +-----------------------------------------------------------------------------------------+
            """;

    private CudaOom() {}

    static void arrange(KubeMock kube) {
        Fixtures.service(kube.client, 2, "0.90");
        Fixtures.node(kube.client, "gpu-node-1", "ON_DEMAND", true);
        Fixtures.create(kube.client, Fixtures.ready("vllm-chatbot-7d9f-aaaaa", "gpu-node-1"),
                Fixtures.crashLooping("vllm-chatbot-7d9f-bbbbb", "gpu-node-1", "Error", 1));
        kube.log("vllm-chatbot-7d9f-bbbbb", "vllm", true, CUDA_OOM_LOG);
        kube.nvidiaSmi("vllm-chatbot-7d9f-aaaaa", "vllm", NVIDIA_SMI);
        Fixtures.event(kube.client, "vllm-chatbot-7d9f-bbbbb", "Warning", "BackOff", "Back-off restarting failed container vllm");
    }

    static String gpuMemoryUtilization(KubeMock kube) {
        return kube.client.configMaps().inNamespace("ai-serving").withName("vllm-config").get().getData().get("GPU_MEMORY_UTILIZATION");
    }
}
