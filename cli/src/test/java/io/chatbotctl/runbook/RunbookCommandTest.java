package io.chatbotctl.runbook;

import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code runbook list}, {@code runbook show}, project runbooks and the errors, through the command line. */
class RunbookCommandTest {
    @TempDir
    Path dir;

    @Test
    void listShowsTheBuiltInRunbooks() {
        CliRunner.Result r = new CliRunner().workingDir(dir).run("runbook", "list");
        assertEquals(0, r.exitCode(), r.toString());
        for (String name : RunbookCatalog.BUILT_IN) {
            assertTrue(r.out().contains(name), r.out());
        }
        CliRunner.Result json = new CliRunner().workingDir(dir).run("runbook", "list", "-o", "json");
        assertTrue(json.out().contains("\"name\" : \"spot-interruption\""), json.out());
    }

    @Test
    void theRepositoryRunbooksAreTheBuiltInOnesAndAllValid() throws Exception {
        try (var files = Files.list(Repository.file("runbooks"))) {
            var names = files.map(f -> f.getFileName().toString().replace(".yaml", "")).sorted().toList();
            assertEquals(RunbookCatalog.BUILT_IN.stream().sorted().toList(), names);
        }
        CliRunner.Result r = CliRunner.inRepository().run("runbook", "list");
        assertEquals(0, r.exitCode(), r.toString());
    }

    @Test
    void showAsTextAndAsMarkdown() {
        CliRunner.Result text = new CliRunner().workingDir(dir).run("runbook", "show", "high-latency");
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().startsWith("high-latency: High latency"), text.out());
        assertTrue(text.out().contains(" 7. act   Scale vllm-chatbot up to the HPA maximum"), text.out());
        assertTrue(text.out().contains("when latency found queue-backlog|kv-cache-high|ttft-high; unless hpa found hpa-at-max"), text.out());

        CliRunner.Result md = new CliRunner().workingDir(dir).run("runbook", "show", "gpu-oom", "--markdown");
        assertTrue(md.out().startsWith("# GPU out of memory"), md.out());
        assertTrue(md.out().contains("`chatbotctl runbook gpu-oom`"), md.out());
        assertTrue(md.out().contains("**act** `set-config`"), md.out());
    }

    @Test
    void anUnknownRunbookIsExit3WithTheKnownNames() {
        CliRunner.Result r = new CliRunner().workingDir(dir).run("runbook", "show", "disk-full");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("chatbotctl: error: no runbook named 'disk-full'\nhint: chatbotctl runbook list shows them: pod-failure,"), r.err());
    }

    @Test
    void aProjectRunbookIsAddedAndAnInvalidOneNamesFileAndStep() throws Exception {
        Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(dir.resolve("runbooks/queue.yaml"), """
                name: queue
                title: Just the queue
                steps:
                  - id: latency
                    check: latency
                  - act: scale
                    with: {replicas: 3}
                    when: {latency: [queue-backlog]}
                """);
        CliRunner.Result list = new CliRunner().workingDir(dir).run("runbook", "list");
        assertTrue(list.out().contains("queue "), list.out());

        Files.writeString(dir.resolve("runbooks/queue.yaml"), """
                name: queue
                title: Just the queue
                steps:
                  - id: latency
                    check: latency
                  - act: reboot-gpu
                """);
        CliRunner.Result bad = new CliRunner().workingDir(dir).run("runbook", "list");
        assertEquals(3, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("queue.yaml: step 2: unknown act 'reboot-gpu'"), bad.err());
        assertTrue(bad.err().contains("hint: known: cordon, delete-evicted, drain"), bad.err());

        Files.writeString(dir.resolve("runbooks/queue.yaml"), "name: queue\nsteps:\n  - check: pods\n    whn: {}\n");
        CliRunner.Result typo = new CliRunner().workingDir(dir).run("runbook", "list");
        assertEquals(3, typo.exitCode(), typo.toString());
        assertTrue(typo.err().contains("queue.yaml:") && typo.err().contains("whn: unknown field (known: "), typo.err());
        assertFalse(typo.err().contains("Exception"), typo.err());

        Files.writeString(dir.resolve("runbooks/queue.yaml"), "name: queue\nsteps:\n  - note: hi\n    when: {pods: [any]}\n");
        CliRunner.Result ref = new CliRunner().workingDir(dir).run("runbook", "list");
        assertTrue(ref.err().contains("step 1: condition refers to 'pods', which is not the id of an earlier check step"), ref.err());
    }

    @Test
    void anUnreachableClusterIsExit4AndTheTranscriptSaysSo() throws Exception {
        Path kubeconfig = KubeMockCluster.writeKubeconfig(dir.resolve("kc.yaml"), "http://127.0.0.1:" + FreePorts.next(),
                "gone", "ai-serving");
        CliRunner.Result r = new CliRunner().workingDir(dir).env("KUBECONFIG", kubeconfig.toString())
                .run("runbook", "pod-failure", "--transcript", "t.md");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().contains("chatbotctl: error: cannot reach the Kubernetes API server http://127.0.0.1:"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertTrue(Files.readString(dir.resolve("t.md")).contains("- Stopped by an error: cannot reach the Kubernetes API server"));
    }
}
