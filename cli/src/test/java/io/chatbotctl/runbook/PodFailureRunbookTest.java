package io.chatbotctl.runbook;

import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pod-failure against the mock API server: a pod in CrashLoopBackOff with CUDA OOM in its previous log. */
class PodFailureRunbookTest {
    @TempDir
    Path dir;
    KubeMock kube;

    @BeforeEach
    void failingPod() throws Exception {
        kube = new KubeMock(dir);
        CudaOom.arrange(kube);
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    CliRunner cli() {
        return kube.cli().workingDir(dir);
    }

    String gpuMemoryUtilization() {
        return CudaOom.gpuMemoryUtilization(kube);
    }

    String restartedAt() {
        var annotations = kube.client.apps().deployments().inNamespace("ai-serving").withName("vllm-chatbot").get()
                .getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("kubectl.kubernetes.io/restartedAt");
    }

    @Test
    void yesDiagnosesLowersGpuMemoryUtilizationRestartsAndWritesTheTranscript() throws Exception {
        Path transcript = dir.resolve("t/pod-failure.md");
        CliRunner.Result r = cli().run("runbook", "pod-failure", "--yes", "--transcript", transcript.toString());

        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(r.err().contains("oom-killed pod/"), "no OOMKill, no host-memory diagnosis: " + r);
        assertFalse(r.err().contains("memory limit in vllm-chatbot"), r.toString());
        assertTrue(r.err().contains("cuda-oom pod/vllm-chatbot-7d9f-bbbbb"), r.toString());
        assertTrue(r.err().contains("torch.OutOfMemoryError: CUDA out of memory"), r.toString());
        assertTrue(r.err().contains("$ kubectl -n ai-serving describe pod vllm-chatbot-7d9f-bbbbb"), r.toString());
        assertTrue(r.err().contains("  vllm: Waiting (CrashLoopBackOff), ready false, restarts 4, last exit code 1 (Error)"), r.toString());
        assertTrue(r.err().contains("21402MiB /  23028MiB"), "nvidia-smi through exec in the running pod on the node: " + r);
        assertTrue(r.err().contains("set GPU_MEMORY_UTILIZATION 0.90 -> 0.85 in vllm-config and restart vllm-chatbot"), r.toString());
        assertEquals("0.85", gpuMemoryUtilization());
        assertNotNull(restartedAt(), "rollout restart annotation");
        assertTrue(r.out().contains("outcome: resolved (exit 0)"), r.out());

        String md = Files.readString(transcript);
        assertTrue(md.startsWith("# Runbook `pod-failure`"), md);
        assertTrue(md.contains("| ✗ | `cuda-oom` | pod/vllm-chatbot-7d9f-bbbbb |"), md);
        assertTrue(md.contains("**done**"), md);
        assertTrue(md.contains("kubectl -n ai-serving patch configmap vllm-config --type=merge -p '{\"data\":{\"GPU_MEMORY_UTILIZATION\":\"0.85\"}}'"), md);
        assertTrue(md.contains("- Outcome: **resolved** (exit 0)"), md);
    }

    @Test
    void dryRunChangesNothing() {
        int before = kube.writes().size();
        CliRunner.Result r = cli().run("runbook", "pod-failure", "--dry-run");

        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("dry run: not changed"), r.toString());
        assertTrue(r.err().contains("set GPU_MEMORY_UTILIZATION 0.90 -> 0.85"), r.toString());
        assertEquals(before, kube.writes().size(), "no write request: " + kube.writes());
        assertEquals("0.90", gpuMemoryUtilization());
        assertNull(restartedAt());
    }

    @Test
    void answeringNoChangesNothing() throws Exception {
        int before = kube.writes().size();
        CliRunner.Result r = cli().stdin("n\n").interactive(true).run("runbook", "pod-failure", "--transcript", "no.md");

        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("[y/N]"), r.toString());
        assertTrue(r.err().contains("declined: not changed"), r.toString());
        assertEquals(before, kube.writes().size(), "no write request: " + kube.writes());
        assertEquals("0.90", gpuMemoryUtilization());
        assertTrue(Files.readString(dir.resolve("no.md")).contains("**declined**"));
    }

    @Test
    void answeringYesApplies() {
        CliRunner.Result r = cli().stdin("y\n").interactive(true).run("runbook", "pod-failure");

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("[y/N]"), r.toString());
        assertEquals("0.85", gpuMemoryUtilization());
        assertNotNull(restartedAt());
    }

    @Test
    void withoutTerminalOrYesOnlyProposesAndWritesTheDefaultTranscript() throws Exception {
        int before = kube.writes().size();
        CliRunner.Result r = cli().run("runbook", "pod-failure", "-o", "json");

        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\"status\" : \"proposed\""), r.out());
        assertTrue(r.out().contains("\"outcome\" : \"problem\""), r.out());
        assertEquals(before, kube.writes().size());
        try (var files = Files.list(dir.resolve(".chatbotctl/transcripts"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("pod-failure-\\d{8}T\\d{6}Z\\.md")));
        }
    }
}
