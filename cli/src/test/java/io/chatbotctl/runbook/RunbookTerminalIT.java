package io.chatbotctl.runbook;

import io.chatbotctl.testing.RealParts;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged {@code ./chatbotctl} on a real pseudo-terminal (util-linux {@code script}), answering the y/N
 * question when it appears, against the mock API server.
 */
class RunbookTerminalIT {
    @TempDir
    Path dir;
    KubeMock kube;

    @BeforeEach
    void failingPod() {
        kube = new KubeMock(dir);
        CudaOom.arrange(kube);
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    /** Runs the runbook under {@code script}, typing {@code answer} once the question shows. */
    Terminal run(String answer) throws Exception {
        Path script = RealParts.require("/usr/bin/script", "apt-get install -y bsdutils");
        String command = Repository.file("chatbotctl") + " runbook pod-failure --transcript " + dir.resolve("tty.md");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "-q", "-e", "-c", command, "/dev/null")
                .directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("CI");
        builder.environment().put("KUBECONFIG", kube.kubeconfig.toString());
        Process process = builder.start();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        boolean answered = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        try (InputStream out = process.getInputStream(); OutputStream in = process.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = out.read(buffer)) >= 0) {
                seen.write(buffer, 0, n);
                if (!answered && seen.toString(StandardCharsets.UTF_8).contains("[y/N]")) {
                    in.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                    answered = true;
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("no end within 3 minutes: " + seen);
                }
            }
        }
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        return new Terminal(process.exitValue(), seen.toString(StandardCharsets.UTF_8), answered);
    }

    record Terminal(int exitCode, String screen, boolean answered) {
    }

    @Test
    void yesOnTheTerminalApplies() throws Exception {
        Terminal t = run("y");
        assertTrue(t.answered(), "a person at a terminal is asked: " + t.screen());
        assertEquals(0, t.exitCode(), t.screen());
        assertTrue(t.screen().contains("interactive"), t.screen());
        assertEquals("0.85", CudaOom.gpuMemoryUtilization(kube));
        assertTrue(Files.readString(dir.resolve("tty.md")).contains("- Mode: interactive"));
    }

    @Test
    void noOnTheTerminalChangesNothing() throws Exception {
        int before = kube.writes().size();
        Terminal t = run("n");
        assertTrue(t.answered(), t.screen());
        assertEquals(1, t.exitCode(), t.screen());
        assertTrue(t.screen().contains("declined: not changed"), t.screen());
        assertEquals(before, kube.writes().size(), kube.writes().toString());
        assertEquals("0.90", CudaOom.gpuMemoryUtilization(kube));
    }
}
