package io.chatbotctl.e2e;

import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** scripts/jvm-flags.sh, which both the launcher and the image's wrapper use, run by bash: JVM flags and classpath. */
class JvmFlagsTest {
    private static final String QUICK = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    private static final String LONG_RUNNING = "-XX:+UseG1GC";

    @Test
    void modelCommandsButTheServerGetTheQuickCompilerAndSerialCollector() throws Exception {
        assertEquals(QUICK, flags("model", "sync", "s3://bucket/model/", "/models"));
        assertEquals(QUICK, flags("-o", "json", "model", "push", "dir", "s3://bucket/model/"));
        assertEquals(LONG_RUNNING, flags("model", "serve-s3", "--dir", "blobs"));
    }

    @Test
    void longRunningCommandsGetTheFullJit() throws Exception {
        for (String command : List.of("sim", "loadtest", "demo", "eval", "canary")) {
            assertEquals(LONG_RUNNING, flags(command, "--help"), command);
        }
        assertEquals(LONG_RUNNING, flags("--env", "production", "loadtest"));
    }

    /** The sidecar's command line from manifests/base/deployment.yaml; its keys commands are short. */
    @Test
    void theProxyServesWithTheFullJitAndItsKeysCommandsStartQuickly() throws Exception {
        assertEquals(LONG_RUNNING, flags("proxy", "--upstream", "http://127.0.0.1:8000", "--listen", "0.0.0.0:8080",
                "--metrics-listen", "0.0.0.0:9400", "--keys", "/etc/chatbotctl/keys/keys.yaml"));
        assertEquals(QUICK, flags("proxy", "keys", "create", "support-web", "--rpm", "600", "--keys", "keys.yaml"));
        assertEquals(QUICK, flags("-o", "json", "proxy", "keys", "list", "--keys", "keys.yaml"));
    }

    @Test
    void optionValuesAreNotTakenForTheCommand() throws Exception {
        assertEquals(QUICK, flags("-n", "sim", "render"));
        assertEquals(QUICK, flags("--help"));
        assertEquals(QUICK, flags());
    }

    /** chatbotctl-s3proxy.jar goes after chatbotctl.jar, where the CDS archive still maps, and only where it is used. */
    @Test
    void theS3ProxyJarJoinsTheClasspathForTheCommandsThatStartS3ProxyWhenItIsThere(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("chatbotctl.jar");
        String both = jar + ":" + dir.resolve("chatbotctl-s3proxy.jar");
        assertEquals(jar.toString(), classpath(jar, "demo"), "without the S3Proxy jar");

        Files.createFile(dir.resolve("chatbotctl-s3proxy.jar"));
        assertEquals(both, classpath(jar, "demo"));
        assertEquals(both, classpath(jar, "--env", "staging", "model", "serve-s3", "--dir", "blobs"));
        for (List<String> args : List.of(List.of("--help"), List.of("model", "sync", "s3://b/m/", "/models"), List.of("sim"),
                List.of("-n", "demo", "version"))) {
            assertEquals(jar.toString(), classpath(jar, args.toArray(String[]::new)), args.toString());
        }
    }

    private static String classpath(Path jar, String... args) throws IOException, InterruptedException {
        List<String> command = run(". scripts/jvm-flags.sh && chatbotctl_java_command java " + jar + " no.jsa no-native \"$@\" && "
                + "printf '%s\\n' \"${JAVA_COMMAND[@]}\"", args).lines().toList();
        return command.get(command.indexOf("-cp") + 1);
    }

    private static String flags(String... args) throws IOException, InterruptedException {
        return run(". scripts/jvm-flags.sh && chatbotctl_jvm_flags \"$@\" && echo \"${JVM_FLAGS[*]}\"", args);
    }

    private static String run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", script, "jvm-flags"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(Repository.root().toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}
