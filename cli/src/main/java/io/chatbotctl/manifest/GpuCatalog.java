package io.chatbotctl.manifest;

import java.util.Map;
import java.util.Optional;

/**
 * GPU facts of the EC2 instance types a node selector may name. Memory is what the driver reports as usable
 * (nvidia-smi), in GiB; e.g. an A10G is sold as 24 GB and reports 23,028 MiB.
 */
public final class GpuCatalog {
    private GpuCatalog() {}

    /**
     * @param instanceType  EC2 instance type, e.g. {@code g5.2xlarge}
     * @param gpuModel      e.g. {@code NVIDIA A10G}
     * @param gpuCount      GPUs per node
     * @param gpuMemoryGiB  usable memory of one GPU
     * @param computeCapability CUDA compute capability (8.6 for the A10G); vLLM's Marlin kernels need 8.0 or more
     */
    public record GpuInstance(String instanceType, String gpuModel, int gpuCount, double gpuMemoryGiB,
                              double computeCapability) {
        /** Whether vLLM's Marlin kernels (awq_marlin, gptq_marlin) run on it: compute capability 8.0 or more. */
        public boolean runsMarlin() {
            return computeCapability >= 8.0;
        }
    }

    private static final double A10G = 23028 / 1024.0;
    private static final double L4 = 22491 / 1024.0;
    private static final double T4 = 15360 / 1024.0;
    private static final double A100_40 = 40960 / 1024.0;
    private static final double A100_80 = 81920 / 1024.0;
    private static final double H100 = 81559 / 1024.0;

    private static final Map<String, GpuInstance> TYPES = Map.ofEntries(
            entry("g5.xlarge", "NVIDIA A10G", 1, A10G, 8.6),
            entry("g5.2xlarge", "NVIDIA A10G", 1, A10G, 8.6),
            entry("g5.4xlarge", "NVIDIA A10G", 1, A10G, 8.6),
            entry("g5.8xlarge", "NVIDIA A10G", 1, A10G, 8.6),
            entry("g5.12xlarge", "NVIDIA A10G", 4, A10G, 8.6),
            entry("g5.48xlarge", "NVIDIA A10G", 8, A10G, 8.6),
            entry("g6.xlarge", "NVIDIA L4", 1, L4, 8.9),
            entry("g6.2xlarge", "NVIDIA L4", 1, L4, 8.9),
            entry("g6.12xlarge", "NVIDIA L4", 4, L4, 8.9),
            entry("g4dn.xlarge", "NVIDIA T4", 1, T4, 7.5),
            entry("g4dn.2xlarge", "NVIDIA T4", 1, T4, 7.5),
            entry("p4d.24xlarge", "NVIDIA A100 40GB", 8, A100_40, 8.0),
            entry("p4de.24xlarge", "NVIDIA A100 80GB", 8, A100_80, 8.0),
            entry("p5.48xlarge", "NVIDIA H100 80GB", 8, H100, 9.0));

    private static Map.Entry<String, GpuInstance> entry(String type, String model, int count, double memoryGiB,
                                                        double computeCapability) {
        return Map.entry(type, new GpuInstance(type, model, count, memoryGiB, computeCapability));
    }

    public static Optional<GpuInstance> lookup(String instanceType) {
        return Optional.ofNullable(instanceType == null ? null : TYPES.get(instanceType));
    }

    public static java.util.Collection<GpuInstance> all() {
        return TYPES.values();
    }
}
