package io.chatbotctl.runbook;

import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spot-interruption: the Node Termination Handler tainted and cordoned a spot node; one pod was evicted, one still
 * runs there, one serves on an on-demand node, a replacement is Pending for GPUs.
 */
class SpotInterruptionRunbookTest {
    @TempDir
    Path dir;
    KubeMock kube;

    @BeforeEach
    void interruptedSpotNode() {
        kube = new KubeMock(dir);
        Fixtures.service(kube.client, 3, "0.90");
        Fixtures.node(kube.client, "spot-gpu-1", "SPOT", true, Fixtures.spotTaint());
        Fixtures.node(kube.client, "ondemand-gpu-1", "ON_DEMAND", true);
        Fixtures.create(kube.client,
                Fixtures.evicted("vllm-chatbot-7d9f-evict", "spot-gpu-1"),
                Fixtures.ready("vllm-chatbot-7d9f-onspot", "spot-gpu-1"),
                Fixtures.ready("vllm-chatbot-7d9f-ondemand", "ondemand-gpu-1"),
                Fixtures.pendingForGpu("vllm-chatbot-7d9f-pending"));
        Fixtures.event(kube.client, "vllm-chatbot-7d9f-pending", "Normal", "TriggeredScaleUp",
                "pod triggered scale-up: [{eks-gpu-spot-1 1->2 (max: 4)}]");
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    CliRunner cli() {
        return kube.cli().workingDir(dir);
    }

    List<String> podNames() {
        return kube.client.pods().inNamespace("ai-serving").list().getItems().stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void yesEvictsThroughTheEvictionApiAndCleansUpEvictedPods() throws Exception {
        Fixtures.pdb(kube.client, 1);
        CliRunner.Result r = cli().run("runbook", "spot-interruption", "--yes", "--transcript", "spot.md");

        assertTrue(r.err().contains("✗ spot-interruption node/spot-gpu-1: spot node tainted aws-node-termination-handler/spot-itn:NoSchedule"), r.toString());
        assertTrue(r.err().contains("· cordoned node/spot-gpu-1"), r.toString());
        assertTrue(r.err().contains("✗ evicted pod/vllm-chatbot-7d9f-evict"), r.toString());
        assertTrue(r.err().contains("✗ on-affected-node pod/vllm-chatbot-7d9f-onspot"), r.toString());
        assertTrue(r.err().contains("· on-demand-serving pod/vllm-chatbot-7d9f-ondemand: Ready on on-demand node ondemand-gpu-1"), r.toString());
        assertTrue(r.err().contains("✗ pending-gpu pod/vllm-chatbot-7d9f-pending"), r.toString());
        assertTrue(r.err().contains("· pdb-allows pdb/vllm-chatbot-pdb"), r.toString());
        assertTrue(r.err().contains("· scale-up-triggered pod/vllm-chatbot-7d9f-pending: pod triggered scale-up"), r.toString());
        assertTrue(r.err().contains("the node is already cordoned"), r.toString());
        assertTrue(r.err().contains("evicted vllm-chatbot-7d9f-onspot"), r.toString());
        assertTrue(kube.requests().contains("POST /api/v1/namespaces/ai-serving/pods/vllm-chatbot-7d9f-onspot/eviction"),
                "through the eviction API: " + kube.requests());
        assertFalse(podNames().contains("vllm-chatbot-7d9f-onspot"));
        assertFalse(podNames().contains("vllm-chatbot-7d9f-evict"));
        assertTrue(podNames().contains("vllm-chatbot-7d9f-ondemand"));
        assertEquals(1, r.exitCode(), "the Pending pod still waits for a GPU node: " + r);
        String md = Files.readString(dir.resolve("spot.md"));
        assertTrue(md.contains("## Still wrong"), md);
        assertTrue(md.contains("`pending-gpu` pod/vllm-chatbot-7d9f-pending"), md);
    }

    @Test
    void aPdbThatAllowsNoDisruptionStopsTheDrain() {
        Fixtures.pdb(kube.client, 0);
        CliRunner.Result r = cli().run("runbook", "spot-interruption", "--yes");

        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("warning: PodDisruptionBudget vllm-chatbot-pdb allows no disruption now"), r.toString());
        assertTrue(r.err().contains("eviction of vllm-chatbot-7d9f-onspot refused (429)"), r.toString());
        assertTrue(r.err().contains("[9] act incomplete"), r.toString());
        assertTrue(podNames().contains("vllm-chatbot-7d9f-onspot"));
    }

    @Test
    void neverEvictsTheLastReadyPodWithoutForce() {
        kube.client.pods().inNamespace("ai-serving").withName("vllm-chatbot-7d9f-ondemand").delete();
        Fixtures.pdb(kube.client, 1);

        CliRunner.Result r = cli().run("runbook", "spot-interruption", "--yes");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("refused: it would evict the last Ready pod"), r.toString());
        assertTrue(podNames().contains("vllm-chatbot-7d9f-onspot"));

        CliRunner.Result forced = cli().run("runbook", "spot-interruption", "--yes", "--force");
        assertTrue(forced.err().contains("evicted vllm-chatbot-7d9f-onspot"), forced.toString());
        assertFalse(podNames().contains("vllm-chatbot-7d9f-onspot"));
    }

    @Test
    void dryRunAndNoChangeNothing() {
        int before = kube.writes().size();
        CliRunner.Result dry = cli().run("runbook", "spot-interruption", "--dry-run");
        assertEquals(1, dry.exitCode(), dry.toString());
        assertTrue(dry.err().contains("evict vllm-chatbot-7d9f-onspot from spot-gpu-1"), dry.toString());
        assertTrue(dry.err().contains("delete evicted pod vllm-chatbot-7d9f-evict"), dry.toString());

        CliRunner.Result no = cli().stdin("n\nn\n").interactive(true).run("runbook", "spot-interruption");
        assertEquals(1, no.exitCode(), no.toString());
        assertTrue(no.err().contains("declined: not changed"), no.toString());
        assertEquals(before, kube.writes().size(), kube.writes().toString());
        assertEquals(4, podNames().size());
    }

    @Test
    void aHealthyClusterIsExit0() {
        kube.client.pods().inNamespace("ai-serving").delete();
        kube.client.nodes().withName("spot-gpu-1").delete();
        Fixtures.create(kube.client, Fixtures.ready("vllm-chatbot-7d9f-ondemand", "ondemand-gpu-1"));

        CliRunner.Result r = cli().run("runbook", "spot-interruption", "--node", "ondemand-gpu-1");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("outcome: healthy (exit 0)"), r.out());
    }
}
