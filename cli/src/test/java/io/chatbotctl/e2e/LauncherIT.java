package io.chatbotctl.e2e;

import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.Launcher;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged launcher, run as a user (and CI) runs it: no terminal, CI=true. */
class LauncherIT {
    /** The JVM stops when it cannot map the CDS archive, instead of starting without it. */
    private static final Map<String, String> ARCHIVE_MAPPED = Map.of("JAVA_OPTS", "-Xshare:on");

    @TempDir
    Path dir;

    @Test
    void helpVersionAndTheClassDataSharingArchive() throws Exception {
        CliRunner.Result help = Launcher.run(Repository.root(), ARCHIVE_MAPPED, "--help");
        assertEquals(0, help.exitCode(), help.toString());
        assertTrue(help.out().contains("Exit codes:"), help.out());
        assertFalse(help.out().contains("\u001B["), "no colour without a terminal");
        assertTrue(help.err().isEmpty(), "nothing on stderr: " + help.err());
        assertTrue(Files.isRegularFile(Repository.file("cli/target/chatbotctl.jsa")), "the launcher made the CDS archive");

        CliRunner.Result version = Launcher.run(Repository.root(), Map.of(), "version");
        assertTrue(version.out().matches("chatbotctl \\S+ \\(commit [0-9a-f]{7,}(-dirty)?, Java 17.*\\)\\n"), version.out());
    }

    @Test
    void aBrokenConfigIsOneLineAndExitThree() throws Exception {
        Files.writeString(dir.resolve("chatbotctl.yaml"), "environments:\n  production:\n    namespace: \"\"\n");
        CliRunner.Result r = Launcher.run(dir, Map.of(), "config", "validate");
        assertEquals(3, r.exitCode(), r.toString());
        assertEquals("chatbotctl: error: chatbotctl.yaml:3: environments.production.namespace: must not be empty\n"
                + "hint: see docs/configuration.md\n", r.err());
    }

    @Test
    void theDemoRunsAndSaysWhereTheReportsAre() throws Exception {
        Path reports = dir.resolve("reports");
        CliRunner.Result r = Launcher.run(Repository.root(), ARCHIVE_MAPPED, "demo", "--report-dir", reports.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().lines().anyMatch(line -> line.contains("push and sync model weights") && line.contains(" OK ")),
                "the launcher adds chatbotctl-s3proxy.jar for the demo: " + r.out());
        assertTrue(r.out().strip().endsWith("Reports: " + reports), r.out());
        assertFalse(r.out().contains(" failed "), r.out());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
