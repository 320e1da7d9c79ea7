package io.chatbotctl.doctor;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.chatbotctl.doctor.DoctorFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GPU capacity on the mock cluster, for the production overlay's Deployment (g5.2xlarge, tolerates nvidia.com/gpu). */
class GpuChecksTest {
    static final String GPU_NODE = "ip-10-0-1-17.ap-northeast-2.compute.internal";

    @TempDir
    Path dir;
    DoctorFixture fx;

    @BeforeEach
    void start() {
        fx = new DoctorFixture(dir);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private List<CheckResult> run() {
        return new GpuChecks(fx.context("production")).run();
    }

    @Test
    void aReadyGpuNodeWithThePluginAndAFreeGpuIsOkEverywhere() {
        fx.load("gpu-node.yaml").load("device-plugin.yaml");
        List<CheckResult> r = run();
        r.forEach(c -> assertEquals(Status.OK, c.status(), c.toString()));
        assertTrue(one(r, "gpu-nodes").evidence().contains(GPU_NODE), r.toString());
        assertTrue(one(r, "gpu-nodes").evidence().contains("node.kubernetes.io/instance-type=g5.2xlarge"), r.toString());
        assertTrue(one(r, "gpu-allocatable").evidence().contains(GPU_NODE + "=1"), r.toString());
        assertTrue(one(r, "device-plugin").evidence().contains("kube-system/nvidia-device-plugin (desired 1, ready 1)"), r.toString());
        assertTrue(one(r, "surge-gpu").evidence().contains("1 free"), r.toString());
    }

    @Test
    void anEmptyClusterFailsWithTheFixAndWarnsWhereThereIsNothingToRead() {
        fx.load("gpu-node.yaml", Map.of("g5.2xlarge", "g5.12xlarge"));
        List<CheckResult> r = run();
        CheckResult nodes = one(r, "gpu-nodes");
        assertEquals(Status.FAIL, nodes.status(), r.toString());
        assertTrue(nodes.evidence().contains("nodeSelector node.kubernetes.io/instance-type=g5.2xlarge (node has g5.12xlarge)"), nodes.evidence());
        assertNotNull(nodes.fix());
        assertEquals(Status.WARN, one(r, "gpu-allocatable").status());
        assertEquals(Status.FAIL, one(r, "device-plugin").status(), "no device plugin DaemonSet");
        assertEquals(Status.FAIL, one(r, "surge-gpu").status());
    }

    @Test
    void aNodeTheTolerationsRefuseIsNotAdmitted() {
        fx.load("gpu-node.yaml", Map.of("key: nvidia.com/gpu\n      value: \"true\"", "key: dedicated\n      value: \"inference\""));
        CheckResult nodes = one(run(), "gpu-nodes");
        assertEquals(Status.FAIL, nodes.status());
        assertTrue(nodes.evidence().contains("taint dedicated=inference:NoSchedule"), nodes.evidence());
    }

    @Test
    void aKarpenterNodePoolThatAdmitsThePodIsAProvisionerAndOneThatTaintsItOutIsNot() {
        fx.load("nodepool.yaml");
        List<CheckResult> r = run();
        assertEquals(Status.OK, one(r, "gpu-nodes").status(), r.toString());
        assertTrue(one(r, "gpu-nodes").evidence().contains("NodePool gpu"), r.toString());
        assertEquals(Status.OK, one(r, "surge-gpu").status(), r.toString());

        fx.cluster.reset();
        fx.load("nodepool.yaml", Map.of("key: nvidia.com/gpu", "key: dedicated"));
        r = run();
        assertEquals(Status.FAIL, one(r, "gpu-nodes").status(), r.toString());
    }

    @Test
    void aNodePoolAtItsGpuLimitCannotGrow() {
        fx.load("nodepool.yaml", Map.of("nvidia.com/gpu: \"0\"", "nvidia.com/gpu: \"8\""));
        assertEquals(Status.FAIL, one(run(), "gpu-nodes").status());
    }

    @Test
    void aFullGpuNodeNeedsTheClusterAutoscalerGroupBelowItsMaximum() {
        fx.load("gpu-node.yaml").load("device-plugin.yaml");
        fx.cluster.client().pods().inNamespace("ai-serving").resource(new PodBuilder().withNewMetadata().withName("vllm-chatbot-a")
                .endMetadata().withNewSpec().withNodeName(GPU_NODE).addNewContainer().withName("vllm").withImage("vllm")
                .withNewResources().addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
        CheckResult surge = one(run(), "surge-gpu");
        assertEquals(Status.FAIL, surge.status(), surge.toString());
        assertTrue(surge.evidence().contains("none free on 1 admitted node(s)"), surge.evidence());

        fx.load("ca-status.yaml", Map.of("MAX_SIZE", "1"));
        assertEquals(Status.FAIL, one(run(), "surge-gpu").status(), "the node group is at its maximum");

        fx.cluster.client().configMaps().inNamespace("kube-system").withName("cluster-autoscaler-status").delete();
        fx.load("ca-status.yaml", Map.of("MAX_SIZE", "3"));
        surge = one(run(), "surge-gpu");
        assertEquals(Status.OK, surge.status(), surge.toString());
        assertTrue(surge.evidence().contains("Cluster Autoscaler node group eks-gpu-on-demand-"), surge.evidence());
    }

    @Test
    void noAllocatableGpuOrNoReadyPluginPodFails() {
        fx.load("gpu-node.yaml", Map.of("nvidia.com/gpu: \"1\"\n    pods", "nvidia.com/gpu: \"0\"\n    pods"))
                .load("device-plugin.yaml", Map.of("status: \"True\"", "status: \"False\""));
        List<CheckResult> r = run();
        assertEquals(Status.FAIL, one(r, "gpu-allocatable").status(), r.toString());
        assertTrue(one(r, "gpu-allocatable").evidence().contains(GPU_NODE + " has 0"), r.toString());
        assertEquals(Status.FAIL, one(r, "device-plugin").status(), r.toString());
        assertTrue(one(r, "device-plugin").evidence().contains("no Ready plugin pod on " + GPU_NODE), r.toString());
    }
}
