package io.chatbotctl.runbook;

import io.chatbotctl.testing.CliRunner;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pod-failure and gpu-oom for a container OOMKilled by its memory limit (host RAM) with no CUDA error in its log:
 * the diagnosis is the container's memory, the action raises its limit within the node's allocatable memory, and
 * gpu-memory-utilization is left alone.
 */
class HostMemoryOomTest {
    static final String POD = "vllm-chatbot-7d9f-ccccc";
    static final String LOG = """
            INFO 11-25 19:01:40 [default_loader.py:262] Loading weights took 38.12 seconds
            INFO 11-25 19:02:11 [gpu_model_runner.py:1770] Model loading took 5.37 GiB and 41.2 seconds
            INFO 11-25 19:02:19 [gpu_worker.py:232] Available KV cache memory: 13.81 GiB
            """;

    @TempDir
    Path dir;
    KubeMock kube;

    @BeforeEach
    void oomKilledPod() {
        kube = new KubeMock(dir);
        Fixtures.service(kube.client, 2, "0.90");
        kube.client.configMaps().inNamespace(Fixtures.NS).withName("vllm-config").edit(c -> {
            c.getData().put("SWAP_SPACE", "16");
            return c;
        });
        kube.client.apps().deployments().inNamespace(Fixtures.NS).withName("vllm-chatbot").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(resources());
            return d;
        });
        kube.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("gpu-node-1").endMetadata()
                .withNewStatus().addToAllocatable("memory", new Quantity("31946428Ki")).addNewCondition().withType("Ready")
                .withStatus("True").endCondition().endStatus().build()).create();
        Pod pod = Fixtures.crashLooping(POD, "gpu-node-1", "OOMKilled", 137);
        pod.getSpec().getContainers().get(0).setResources(resources());
        pod.getSpec().getContainers().get(0).setVolumeMounts(java.util.List.of(
                new VolumeMountBuilder().withName("dshm").withMountPath("/dev/shm").build()));
        pod.getSpec().setVolumes(java.util.List.of(new VolumeBuilder().withName("dshm").withNewEmptyDir().withMedium("Memory")
                .withSizeLimit(new Quantity("8Gi")).endEmptyDir().build()));
        Fixtures.create(kube.client, Fixtures.ready("vllm-chatbot-7d9f-aaaaa", "gpu-node-1"), pod);
        kube.log(POD, "vllm", true, LOG);
    }

    static io.fabric8.kubernetes.api.model.ResourceRequirements resources() {
        return new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .withRequests(Map.of("memory", new Quantity("24Gi"), "nvidia.com/gpu", new Quantity("1")))
                .withLimits(Map.of("memory", new Quantity("28Gi"), "nvidia.com/gpu", new Quantity("1"))).build();
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    String memoryLimit() {
        return kube.client.apps().deployments().inNamespace(Fixtures.NS).withName("vllm-chatbot").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString();
    }

    @Test
    void podFailureDiagnosesHostMemoryAndRaisesTheLimitWithinTheNode() {
        CliRunner.Result r = kube.cli().workingDir(dir).run("runbook", "pod-failure", "--yes");

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("oom-killed pod/" + POD), r.toString());
        assertFalse(r.err().contains("cuda-oom pod/"), r.toString());
        assertTrue(r.err().contains("memory request 24Gi (24.0 GiB), limit 28Gi (28.0 GiB)"), r.toString());
        assertTrue(r.err().contains("metrics.k8s.io did not answer"), r.toString());
        assertTrue(r.err().contains("/dev/shm: emptyDir medium Memory, sizeLimit 8Gi"), r.toString());
        assertTrue(r.err().contains("vllm-config SWAP_SPACE=16 (GiB of host memory)"), r.toString());
        assertTrue(r.err().contains("node gpu-node-1 allocatable memory 30.5 GiB"), r.toString());
        assertTrue(r.err().contains("raise container vllm's memory limit in vllm-chatbot: 28Gi -> 30Gi (node allocatable 30.5 GiB)"), r.toString());
        assertFalse(r.err().contains("set GPU_MEMORY_UTILIZATION"), "host memory is not GPU memory: " + r);
        assertEquals("30Gi", memoryLimit());
        assertEquals("0.90", CudaOom.gpuMemoryUtilization(kube));
        assertTrue(r.out().contains("outcome: resolved (exit 0)"), r.out());
    }

    @Test
    void gpuOomRunbookSendsAnOomKillToHostMemoryToo() {
        CliRunner.Result r = kube.cli().workingDir(dir).run("runbook", "gpu-oom", "--yes");

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("memory limit in vllm-chatbot: 28Gi -> 30Gi"), r.toString());
        assertEquals("30Gi", memoryLimit());
        assertEquals("0.90", CudaOom.gpuMemoryUtilization(kube));
    }

    @Test
    void aLimitAtTheNodesMemoryIsRefusedWithTheOtherRemedies() {
        kube.client.apps().deployments().inNamespace(Fixtures.NS).withName("vllm-chatbot").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().put("memory", new Quantity("30Gi"));
            return d;
        });
        CliRunner.Result r = kube.cli().workingDir(dir).run("runbook", "pod-failure", "--yes");

        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("already takes the node's allocatable memory"), r.toString());
        assertTrue(r.err().contains("lower --cpu-offload-gb/--swap-space"), r.toString());
        assertEquals("30Gi", memoryLimit());
    }
}
