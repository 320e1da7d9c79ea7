package io.chatbotctl.e2e;

import io.chatbotctl.modelsync.EmbeddedS3;
import io.chatbotctl.modelsync.S3ProxyJar;
import io.chatbotctl.modelsync.SampleModel;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.ImageRuntime;
import io.chatbotctl.testing.Launcher;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image's /usr/local/bin/chatbotctl (scripts/image-chatbotctl) against the image's layout, built here
 * from the packaged jars and this JDK as the Dockerfile lays it out (there is no Docker engine to build the image
 * itself): /opt/chatbotctl with the runtime cut by scripts/jlink-runtime, chatbotctl.jar alone, its CDS archive trained
 * by {@code __cds-train} on that runtime with the S3Proxy jar outside it, and the with-s3proxy target, which adds
 * chatbotctl-s3proxy.jar beside chatbotctl.jar.
 */
class ImageWrapperIT {
    private static final Path WRAPPER = Repository.file("scripts/image-chatbotctl");
    private static final Path S3PROXY_JAR = Repository.file("cli/target/" + S3ProxyJar.FILE_NAME);

    @TempDir
    static Path home;

    /** -Xshare:on: the JVM stops when it cannot map the archive, instead of starting without it. */
    private static Map<String, String> env;
    /** The same without the flags on stdout, for commands whose output is compared. */
    private static final Map<String, String> QUIET = Map.of("JAVA_OPTS", "-Xshare:on");

    @BeforeAll
    static void layOutTheImageAndTrainItsArchiveAsTheDockerfileDoes() throws Exception {
        ImageRuntime.jlink(home.resolve("runtime"));
        Files.createSymbolicLink(home.resolve("chatbotctl.jar"), Repository.file("cli/target/chatbotctl.jar"));
        Files.copy(Repository.file("scripts/jvm-flags.sh"), home.resolve("jvm-flags.sh"));
        Process training = new ProcessBuilder(home.resolve("runtime/bin/java").toString(),
                "-XX:ArchiveClassesAtExit=" + home.resolve("chatbotctl.jsa"), "-XX:+UseSerialGC",
                "-cp", home.resolve("chatbotctl.jar").toString(), "io.chatbotctl.cli.Main",
                "__cds-train", "--native-dir", home.resolve("native").toString(), "--s3proxy-jar", S3PROXY_JAR.toString())
                .directory(home.toFile()).redirectErrorStream(true).start();
        String said = new String(training.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, training.waitFor(), said);
        assertFalse(said.contains("failed while training") || said.contains("not trained"), said);
        assertTrue(Files.isRegularFile(home.resolve("chatbotctl.jsa")), said);
        assertFalse(said.contains("Exception"), said);
        env = Map.of("CHATBOTCTL_HOME", home.toString(), "JAVA_OPTS", "-Xshare:on -XX:+PrintCommandLineFlags");
    }

    @Test
    void theWrapperRunsTheJarWithTheLaunchersFlagsForTheCommand() throws Exception {
        CliRunner.Result version = Launcher.run(WRAPPER, home, env, "version");
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().lines().anyMatch(line -> line.matches("chatbotctl \\S+ \\(commit .*, Java 17.*\\)")), version.out());

        CliRunner.Result sync = Launcher.run(WRAPPER, home, env, "model", "sync", "--help");
        assertEquals(0, sync.exitCode(), sync.toString());
        assertTrue(sync.out().contains("Usage: chatbotctl model sync"), sync.out());
        assertTrue(sync.out().contains("-XX:TieredStopAtLevel=1") && sync.out().contains("-XX:+UseSerialGC"),
                "the initContainer's command runs on C1 + Serial: " + sync.out());

        CliRunner.Result sim = Launcher.run(WRAPPER, home, env, "sim", "--help");
        assertEquals(0, sim.exitCode(), sim.toString());
        assertTrue(sim.out().contains("-XX:+UseG1GC") && !sim.out().contains("TieredStopAtLevel"), sim.out());
    }

    @Test
    void theRuntimePushesAndSyncsAModelThroughS3(@TempDir Path work) throws Exception {
        Path model = work.resolve("model");
        SampleModel.write(model);
        try (EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("blobs"), 0, "image-it", "image-it-secret")) {
            s3.createBucket("models");
            Map<String, String> client = new HashMap<>(s3.clientEnvironment());
            client.putAll(withHome(QUIET));
            CliRunner.Result push = Launcher.run(WRAPPER, work, client,
                    "model", "push", model.toString(), "s3://models/m/", "--endpoint-url", s3.endpointUrl());
            assertEquals(0, push.exitCode(), push.toString());

            CliRunner.Result sync = Launcher.run(WRAPPER, work, client,
                    "model", "sync", "s3://models/m/", work.resolve("synced").toString(), "--endpoint-url", s3.endpointUrl());
            assertEquals(0, sync.exitCode(), sync.toString());
        }
        try (Stream<Path> files = Files.list(model)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                assertEquals(-1, Files.mismatch(file, work.resolve("synced").resolve(file.getFileName())), file.toString());
            }
        }
    }

    @Test
    void theRuntimeRendersAndLintsTheProductionOverlayAsTheFullJdkDoes() throws Exception {
        for (String[] args : List.of(new String[] {"render", "--env", "production"}, new String[] {"lint", "--env", "production"})) {
            CliRunner.Result image = Launcher.run(WRAPPER, Repository.root(), withHome(QUIET), args);
            assertEquals(0, image.exitCode(), image.toString());
            assertEquals(CliRunner.inRepository().run(args).out(), image.out(), String.join(" ", args));
        }
    }

    @Test
    void theRuntimeStartsTheSidecarsAndThePipelinesCommands() throws Exception {
        for (String command : List.of("proxy", "loadtest")) {
            CliRunner.Result help = Launcher.run(WRAPPER, home, withHome(QUIET), command, "--help");
            assertEquals(0, help.exitCode(), help.toString());
            assertTrue(help.out().startsWith("Usage: chatbotctl " + command), help.out());
        }
    }

    @Test
    void withoutTheS3ProxyJarServeS3SaysWhatIsMissingAndExitsFour() throws Exception {
        CliRunner.Result serve = Launcher.run(WRAPPER, home, env, "model", "serve-s3", "--dir", "blobs", "--port", "0");

        assertEquals(4, serve.exitCode(), serve.toString());
        assertEquals("chatbotctl: error: " + S3ProxyJar.missing() + "\nhint: " + S3ProxyJar.howToGetIt() + "\n", serve.err());
    }

    @Test
    void theWithS3ProxyTargetServesS3OnTheSameArchive() throws Exception {
        Path s3proxyJar = Files.createSymbolicLink(home.resolve(S3ProxyJar.FILE_NAME), S3PROXY_JAR);
        ProcessBuilder builder = new ProcessBuilder(WRAPPER.toString(), "model", "serve-s3", "--dir", "blobs", "--port", "0")
                .directory(home.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process serve = builder.start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> said = new java.util.ArrayList<>();
            for (String line = lines.readLine(); line != null && !line.startsWith("serving "); line = lines.readLine()) {
                said.add(line);
            }
            assertTrue(serve.isAlive(), "model serve-s3 ended: " + said);
        } finally {
            serve.destroy();
            serve.waitFor(10, TimeUnit.SECONDS);
            Files.delete(s3proxyJar);
        }
    }

    private static Map<String, String> withHome(Map<String, String> variables) {
        Map<String, String> all = new HashMap<>(variables);
        all.put("CHATBOTCTL_HOME", home.toString());
        return all;
    }
}
