package io.chatbotctl.modelsync;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real child process running model sync is killed with SIGKILL mid-file; the next sync resumes and finishes;
 * against a lenient S3Proxy and one with its default settings.
 */
class ModelSyncKillTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(S3Fixture.Store.class)
    void aSyncKilledMidFileResumesFromItsVerifiedRangesAndEndsWithEveryFileIntact(S3Fixture.Store store) throws Exception {
        try (S3Fixture fx = new S3Fixture(Files.createDirectories(tmp.resolve("blobs")), store)) {
            Path src = uploadTwoShardModel(fx);
            Path dest = tmp.resolve("dest");
            Path big = dest.resolve("model-00001-of-00002.safetensors");

            // 1 MiB/s with 5 MiB ranges: the second range of the big file starts about 5 s after the first.
            Process child = childSync(fx, dest, "--max-bandwidth", "1MiB", "--concurrency", "2");
            try {
                waitForJournalWithDoneRanges(dest, child);
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            } finally {
                child.destroyForcibly();
            }
            assertEquals(137, child.exitValue(), "the child was not killed by SIGKILL");
            assertFalse(Files.exists(dest.resolve(".chatbotctl/COMPLETE")), "a killed sync left a COMPLETE marker");
            assertFalse(Files.exists(big), "the big file must not appear under its final name before it is verified");
            assertTrue(Files.exists(dest.resolve("model-00001-of-00002.safetensors.part")));

            CliRunner runner = new CliRunner().workingDir(tmp);
            fx.s3.clientEnvironment().forEach(runner::env);
            CliRunner.Result resumed = runner.run("model", "sync", "s3://models/kill/", dest.toString(), "--part-size", "5MiB",
                    "--endpoint-url", fx.s3.endpointUrl(), "-o", "json");
            assertEquals(0, resumed.exitCode(), resumed.toString());
            JsonNode result = Json.mapper().readTree(resumed.out());
            assertTrue(result.get("resumed").asInt() >= 1, result.toString());
            assertEquals(store == S3Fixture.Store.DEFAULTS ? "unsupported" : "enabled",
                    result.get("checksumMode").get("state").asText(), result.toString());
            long total = 900 + 15 * MIB + 17 + 6 * MIB;
            assertTrue(result.get("bytesDownloaded").asLong() <= total - 5 * MIB,
                    "the verified ranges were fetched again: " + result);

            assertEquals(S3Fixture.hashes(src), S3Fixture.hashes(dest));
            assertTrue(Files.exists(dest.resolve(".chatbotctl/COMPLETE")));
            try (Stream<Path> files = Files.walk(dest)) {
                assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")), "a .part file was left behind");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(S3Fixture.Store.class)
    void aSecondSyncInAnotherProcessWaitsForTheLockThenFindsTheWorkDone(S3Fixture.Store store) throws Exception {
        try (S3Fixture fx = new S3Fixture(Files.createDirectories(tmp.resolve("blobs")), store)) {
            Path src = uploadTwoShardModel(fx);
            Path dest = tmp.resolve("dest");

            Process child = childSync(fx, dest, "--max-bandwidth", "2MiB");
            try {
                waitForJournalWithDoneRanges(dest, child);
                CliRunner runner = new CliRunner().workingDir(tmp);
                fx.s3.clientEnvironment().forEach(runner::env);
                CliRunner.Result second = runner.run("model", "sync", "s3://models/kill/", dest.toString(), "--part-size", "5MiB",
                        "--endpoint-url", fx.s3.endpointUrl(), "-o", "json");
                assertEquals(0, second.exitCode(), second.toString());
                assertTrue(second.err().contains("waiting for another sync"), second.err());
                JsonNode result = Json.mapper().readTree(second.out());
                assertEquals(0, result.get("downloaded").asInt(), result.toString());
                assertEquals(3, result.get("skipped").asInt(), result.toString());
                assertTrue(child.waitFor(120, TimeUnit.SECONDS));
                assertEquals(0, child.exitValue(), log());
            } finally {
                child.destroyForcibly();
            }
            assertEquals(S3Fixture.hashes(src), S3Fixture.hashes(dest));
        }
    }

    /** The CLI as a separate JVM on the test classpath (the packaged jar may be stale during mvn test). */
    private Process childSync(S3Fixture fx, Path dest, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.chatbotctl.cli.Main",
                "model", "sync", "s3://models/kill/", dest.toString(), "--part-size", "5MiB", "--endpoint-url", fx.s3.endpointUrl()));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile());
        builder.environment().putAll(fx.s3.clientEnvironment());
        return builder.start();
    }

    private void waitForJournalWithDoneRanges(Path dest, Process child) throws Exception {
        Path journals = dest.resolve(".chatbotctl/partial");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(child.isAlive(), () -> "the child sync ended early:\n" + log());
            if (Files.isDirectory(journals)) {
                try (Stream<Path> files = Files.list(journals)) {
                    for (Path journal : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                        try {
                            JsonNode state = Json.mapper().readTree(journal.toFile());
                            if (state.get("sizeBytes").asLong() > 10 * MIB && state.get("doneRanges").size() >= 1) {
                                return;
                            }
                        } catch (java.io.IOException racingRename) {
                            // the journal is replaced atomically; read it again
                        }
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no range of the big file was recorded within 120 s:\n" + log());
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("child.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    /** A config and two shards (one over 15 MiB, so several ranges) uploaded with the aws CLI to s3://models/kill/. */
    private Path uploadTwoShardModel(S3Fixture fx) throws Exception {
        fx.createBucket("models");
        Path src = tmp.resolve("src");
        S3Fixture.write(src.resolve("config.json"), 900, 1);
        S3Fixture.write(src.resolve("model-00001-of-00002.safetensors"), 15 * MIB + 17, 2);
        S3Fixture.write(src.resolve("model-00002-of-00002.safetensors"), 6 * MIB, 3);
        fx.awsUpload(src, "s3://models/kill/");
        return src;
    }
}
