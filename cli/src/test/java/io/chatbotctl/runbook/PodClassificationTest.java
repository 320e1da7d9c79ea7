package io.chatbotctl.runbook;

import io.chatbotctl.core.Progress;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.kube.KubeTarget;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner called directly: how the pod check classifies each failure of the issue, and what each runbook does. */
class PodClassificationTest {
    @TempDir
    Path dir;
    KubeMock kube;
    KubeConnection connection;

    @BeforeEach
    void cluster() {
        kube = new KubeMock(dir);
        Fixtures.service(kube.client, 2, "0.90");
        Fixtures.node(kube.client, "gpu-node-1", "ON_DEMAND", true);
        connection = KubeConnection.open(new KubeTarget(null, "ai-serving", Map.of("KUBECONFIG", kube.kubeconfig.toString())));
    }

    @AfterEach
    void stop() {
        connection.close();
        kube.close();
    }

    RunbookRun run(String runbook, boolean yes) {
        RunOptions options = new RunOptions(yes, false, false, null, null, dir.resolve(runbook + ".md"));
        return new RunbookRunner(connection, null, Clock.systemUTC())
                .run(new RunbookCatalog(null).get(runbook), options, Confirmer.NOBODY, Progress.NONE);
    }

    static List<String> codes(RunbookRun run) {
        return run.findings().stream().filter(Finding::problem).map(f -> f.code() + " " + f.name()).toList();
    }

    static String status(RunbookRun run, String titleStart) {
        return run.steps().stream().filter(s -> s.title().startsWith(titleStart)).findFirst().orElseThrow().status();
    }

    @Test
    void cacheBlocksInTheLogIsAGpuMemoryProblem() {
        Fixtures.create(kube.client, Fixtures.ready("vllm-a", "gpu-node-1"), Fixtures.crashLooping("vllm-b", "gpu-node-1", "Error", 1));
        kube.log("vllm-b", "vllm", true, "ERROR [core.py:700] ValueError: No available memory for the cache blocks. "
                + "Try increasing `gpu_memory_utilization` when initializing the engine.\n");

        RunbookRun run = run("gpu-oom", true);
        assertEquals(List.of("crash-loop vllm-b", "cache-blocks vllm-b"), codes(run));
        assertEquals("done", status(run, "Lower GPU_MEMORY_UTILIZATION"));
        assertEquals("resolved", run.outcome());
        assertEquals("0.85", kube.client.configMaps().withName("vllm-config").get().getData().get("GPU_MEMORY_UTILIZATION"));
    }

    @Test
    void xidErrorCordonsTheNodeAndRecyclesThePod() {
        Fixtures.create(kube.client, Fixtures.ready("vllm-a", "gpu-node-1"), Fixtures.crashLooping("vllm-b", "gpu-node-1", "Error", 1));
        kube.log("vllm-b", "vllm", true, "RuntimeError: CUDA error: unspecified launch failure\n"
                + "NVRM: Xid (PCI:0000:00:1e): 79, pid=1234, GPU has fallen off the bus.\n");

        RunbookRun run = run("pod-failure", true);
        assertTrue(codes(run).contains("xid-error vllm-b"), codes(run).toString());
        assertEquals("done", status(run, "Cordon the node"));
        assertEquals("done", status(run, "Delete the failing pod"));
        assertEquals(Boolean.TRUE, kube.client.nodes().withName("gpu-node-1").get().getSpec().getUnschedulable());
        assertEquals(null, kube.client.pods().withName("vllm-b").get());
    }

    @Test
    void imagePullBackOffIsExplainedNotActedOn() {
        Pod pod = Fixtures.pod("vllm-b", "gpu-node-1").withNewStatus().withPhase("Pending")
                .withContainerStatuses(new ContainerStatusBuilder().withName("vllm").withReady(false).withRestartCount(0)
                        .withImage("vllm/vllm-openai:v9.9.9").withNewState().withNewWaiting().withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"vllm/vllm-openai:v9.9.9\"").endWaiting().endState().build())
                .endStatus().build();
        Fixtures.create(kube.client, Fixtures.ready("vllm-a", "gpu-node-1"), pod);

        RunbookRun run = run("pod-failure", true);
        assertEquals(List.of("image-pull vllm-b"), codes(run));
        assertEquals("noted", status(run, "The image cannot be pulled"));
        assertEquals("problem", run.outcome());
        assertEquals(1, run.exitCode());
    }

    @Test
    void pendingForGpusChecksTheAutoscaler() {
        Fixtures.create(kube.client, Fixtures.ready("vllm-a", "gpu-node-1"), Fixtures.pendingForGpu("vllm-b"));
        Fixtures.event(kube.client, "vllm-b", "Normal", "NotTriggerScaleUp",
                "pod didn't trigger scale-up: 1 max node group size reached");

        RunbookRun run = run("pod-failure", true);
        assertEquals(List.of("pending-gpu vllm-b", "scale-up-blocked vllm-b"), codes(run));
        assertEquals("found", status(run, "Cluster Autoscaler status"));
        assertEquals("problem", run.outcome());
    }

    @Test
    void startupProbeFailingWhileTheModelLoads() {
        Pod pod = Fixtures.pod("vllm-b", "gpu-node-1").withNewStatus().withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder().withName("vllm").withReady(false).withStarted(false)
                        .withRestartCount(2).withNewState().withNewRunning().endRunning().endState()
                        .withNewLastState().withNewTerminated().withExitCode(137).withReason("Error").endTerminated().endLastState()
                        .build()).endStatus().build();
        Fixtures.create(kube.client, Fixtures.ready("vllm-a", "gpu-node-1"), pod);
        kube.log("vllm-b", "vllm", true, "INFO [default_loader.py:262] Loading weights took 95.3 seconds\n"
                + "INFO Loading safetensors checkpoint shards:  60% Completed | 3/5\n");
        Fixtures.event(kube.client, "vllm-b", "Warning", "Unhealthy", "Startup probe failed: Get \"http://10.0.3.7:8000/health\": dial tcp 10.0.3.7:8000: connect: connection refused");

        RunbookRun run = run("model-load-failure", false);
        assertTrue(codes(run).contains("startup-probe vllm-b"), codes(run).toString());
        assertTrue(run.findings().stream().anyMatch(f -> f.message().contains("while the model is still loading")), run.findings().toString());
        assertEquals("proposed", status(run, "Restart the Deployment"));
    }

    @Test
    void modelLoaderS3ErrorIsFoundInTheInitContainerLog() {
        Pod pod = Fixtures.pod("vllm-b", "gpu-node-1").withNewStatus().withPhase("Pending")
                .withInitContainerStatuses(new ContainerStatusBuilder().withName("model-loader").withReady(false)
                        .withRestartCount(3).withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withExitCode(4).withReason("Error").endTerminated().endLastState()
                        .build())
                .withContainerStatuses(new ContainerStatusBuilder().withName("vllm").withReady(false).withRestartCount(0)
                        .withNewState().withNewWaiting().withReason("PodInitializing").endWaiting().endState().build())
                .endStatus().build();
        Fixtures.create(kube.client, Fixtures.ready("vllm-a", "gpu-node-1"), pod);
        kube.log("vllm-b", "model-loader", true, "chatbotctl: error: cannot list s3://example-ml-models/llama-3.1-8b-instruct-awq/: "
                + "AccessDenied (403)\nhint: check the IRSA role's s3:ListBucket permission\n");

        RunbookRun run = run("model-load-failure", true);
        assertEquals(List.of("model-loader-s3 vllm-b"), codes(run));
        assertTrue(run.findings().get(0).evidence().contains("AccessDenied"), run.findings().toString());
        assertEquals("shown", status(run, "Logs of the model-loader initContainer"));
        assertEquals("done", status(run, "Restart the Deployment"));
    }

    @Test
    void allReadyIsHealthyAndStopsEarly() {
        Fixtures.create(kube.client, Fixtures.ready("vllm-a", "gpu-node-1"), Fixtures.ready("vllm-b", "gpu-node-1"));
        RunbookRun run = run("pod-failure", false);
        assertEquals("healthy", run.outcome());
        assertEquals(0, run.exitCode());
        assertEquals(2, run.steps().size(), "check, then the stopping note");
    }

    @Test
    void scalingOutsideTheHpaBoundsSaysSo() {
        Fixtures.hpa(kube.client, 2, 4, 2);
        Runbook runbook = RunbookCatalog.parse("test.yaml", """
                name: scale-six
                title: Scale to six
                steps:
                  - act: scale
                    with: {replicas: 6}
                """);
        RunOptions options = new RunOptions(false, true, false, null, null, dir.resolve("six.md"));
        RunbookRun run = new RunbookRunner(connection, null, Clock.systemUTC()).run(runbook, options, Confirmer.NOBODY, Progress.NONE);
        StepRecord step = run.steps().get(0);
        assertEquals("dry-run", step.status());
        assertTrue(step.lines().contains("warning: 6 replicas is outside the HPA bounds 2..4: the HPA will scale it back;"
                + " raise maxReplicas (or pin-hpa) to keep it"), step.lines().toString());
        assertEquals(2, kube.client.apps().deployments().withName("vllm-chatbot").get().getSpec().getReplicas());
    }

    @Test
    void gpuOomAndModelLoadFailureChangeNothingOnDryRunOrNo() {
        Fixtures.create(kube.client, Fixtures.ready("vllm-a", "gpu-node-1"), Fixtures.crashLooping("vllm-b", "gpu-node-1", "Error", 1));
        kube.log("vllm-b", "vllm", true, "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.\n"
                + "Loading safetensors checkpoint shards: 100% Completed\n");
        Fixtures.event(kube.client, "vllm-b", "Warning", "Unhealthy", "Startup probe failed: connection refused");
        int before = kube.writes().size();
        for (String runbook : List.of("gpu-oom", "model-load-failure")) {
            var dry = kube.cli().workingDir(dir).run("runbook", runbook, "--dry-run", "--yes");
            assertEquals(1, dry.exitCode(), dry.toString());
            assertTrue(dry.err().contains("dry run: not changed"), dry.toString());
            var no = kube.cli().workingDir(dir).stdin("n\nn\n").interactive(true).run("runbook", runbook);
            assertEquals(1, no.exitCode(), no.toString());
            assertTrue(no.err().contains("declined: not changed"), no.toString());
        }
        assertEquals(before, kube.writes().size(), kube.writes().toString());
        assertEquals("0.90", kube.client.configMaps().withName("vllm-config").get().getData().get("GPU_MEMORY_UTILIZATION"));
    }

    @Test
    void neverDeletesTheLastReadyPodWithoutForce() {
        Fixtures.create(kube.client, Fixtures.ready("vllm-a", "gpu-node-1"), Fixtures.pendingForGpu("vllm-b"));
        Runbook runbook = RunbookCatalog.parse("test.yaml", """
                name: recycle
                title: Recycle
                steps:
                  - act: recycle-pod
                """);
        RunOptions options = new RunOptions(true, false, false, "vllm-a", null, dir.resolve("recycle.md"));
        RunbookRun run = new RunbookRunner(connection, null, Clock.systemUTC()).run(runbook, options, Confirmer.NOBODY, Progress.NONE);
        assertEquals("refused", run.steps().get(0).status());
        assertTrue(run.steps().get(0).lines().get(1).startsWith("refused: it would delete the last Ready pod"), run.steps().toString());
        assertTrue(kube.client.pods().withName("vllm-a").get() != null);

        RunOptions forced = new RunOptions(true, false, true, "vllm-a", null, dir.resolve("recycle.md"));
        RunbookRun again = new RunbookRunner(connection, null, Clock.systemUTC()).run(runbook, forced, Confirmer.NOBODY, Progress.NONE);
        assertEquals("done", again.steps().get(0).status());
        assertEquals(null, kube.client.pods().withName("vllm-a").get());
    }
}
