package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged {@code ./chatbotctl} (a fresh JVM: cold code, no connections) at c=64 against the independent Python
 * server, with and without priming: without it the first batch opens its connections inside the measured time and
 * the run must say INVALID (exit 5); with it (the default) the first sends' measured lag is far below that.
 */
class LoadtestFirstSendsIT {
    @TempDir
    Path dir;

    record Run(int exitCode, JsonNode report) {}

    private static Run loadtest(String url, int primingRounds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Repository.file("chatbotctl").toString(), "-o", "json", "loadtest",
                "--endpoint", url, "-c", "64", "--requests", "256", "--max-tokens", "32", "--metrics-url", "none")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JAVA_OPTS", "-Dchatbotctl.loadtest.primingRounds=" + primingRounds);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        return new Run(p.exitValue(), Json.mapper().readTree(new String(out, StandardCharsets.UTF_8)));
    }

    @Test
    void withoutPrimingTheFirstBatchIsInvalidWithItLeavesOnTime() throws Exception {
        try (IndependentServerAccuracyTest.Server server = IndependentServerAccuracyTest.Server.start(dir)) {
            Run unprimed = loadtest(server.url(), 0);
            Run primed = loadtest(server.url(), 2);
            double unprimedLag = unprimed.report().at("/generator/firstSendsLagMaxMs").asDouble();
            double primedLag = primed.report().at("/generator/firstSendsLagMaxMs").asDouble();
            String both = "unprimed " + unprimed.report().at("/generator") + "\nprimed " + primed.report().at("/generator");
            assertEquals(5, unprimed.exitCode(), both);
            assertEquals("INVALID", unprimed.report().path("status").asText(), both);
            assertEquals(List.of(0, 64), List.of(unprimed.report().at("/generator/primedStreams").asInt(),
                    primed.report().at("/generator/primedStreams").asInt()), both);
            assertTrue(primedLag < unprimedLag / 4, both);
        }
    }
}
