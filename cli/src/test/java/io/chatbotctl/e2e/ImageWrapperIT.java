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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image's /usr/local/bin/chatbotctl (scripts/image-chatbotctl) against the image's layout, built here
 * from the packaged jar and this JDK (there is no Docker engine to build the image itself).
 */
class ImageWrapperIT {
    @TempDir
    Path home;

    @Test
    void theWrapperRunsTheJarWithTheLaunchersFlagsForTheCommand() throws Exception {
        Files.createSymbolicLink(home.resolve("runtime"), Path.of(System.getProperty("java.home")));
        Files.createSymbolicLink(home.resolve("chatbotctl.jar"), Repository.file("cli/target/chatbotctl.jar"));
        Files.copy(Repository.file("scripts/jvm-flags.sh"), home.resolve("jvm-flags.sh"));
        Path wrapper = Repository.file("scripts/image-chatbotctl");
        Map<String, String> env = Map.of("CHATBOTCTL_HOME", home.toString(), "JAVA_OPTS", "-XX:+PrintCommandLineFlags");

        CliRunner.Result version = Launcher.run(wrapper, home, env, "version");
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().lines().anyMatch(line -> line.matches("chatbotctl \\S+ \\(commit .*, Java 17.*\\)")), version.out());

        CliRunner.Result sync = Launcher.run(wrapper, home, env, "model", "sync", "--help");
        assertEquals(0, sync.exitCode(), sync.toString());
        assertTrue(sync.out().contains("Usage: chatbotctl model sync"), sync.out());
        assertTrue(sync.out().contains("-XX:TieredStopAtLevel=1") && sync.out().contains("-XX:+UseSerialGC"),
                "the initContainer's command runs on C1 + Serial: " + sync.out());

        CliRunner.Result sim = Launcher.run(wrapper, home, env, "sim", "--help");
        assertEquals(0, sim.exitCode(), sim.toString());
        assertTrue(sim.out().contains("-XX:+UseG1GC") && !sim.out().contains("TieredStopAtLevel"), sim.out());
    }
}
