package io.chatbotctl.core;

import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing input file is named once, with the reason in words (NIO's message is only the path again). */
class MissingInputFileTest {
    @TempDir
    Path dir;

    @Test
    void everyFinishedCommandSaysNoSuchFile() {
        Path missing = dir.resolve("missing.txt");
        String[][] commands = {
                {"sim", "--port", "0", "--responses", missing.toString()},
                {"eval", "run", "--endpoint", "http://127.0.0.1:1/v1", "--dataset", missing.toString()},
                {"eval", "run", "--endpoint", "http://127.0.0.1:1/v1", "--dataset", "evals/smoke.jsonl",
                        "--system-prompt", missing.toString()},
                {"loadtest", "--endpoint", "http://127.0.0.1:1/v1", "--prompts", missing.toString()},
                {"cost", "estimate", "--env", "production", "--pricing", missing.toString()}};
        for (String[] command : commands) {
            CliRunner.Result result = CliRunner.inRepository().run(command);
            assertEquals(ExitCode.BAD_INPUT, result.exitCode(), result.toString());
            String firstLine = result.err().lines().findFirst().orElse("");
            assertTrue(firstLine.endsWith(missing + ": no such file"), result.toString());
        }
    }
}
