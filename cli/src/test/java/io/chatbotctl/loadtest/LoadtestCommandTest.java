package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.FreePorts;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadtestCommandTest {
    private static SseTestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = new SseTestServer(30, 5, 8, true);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private CliRunner.Result run(String... args) {
        return new CliRunner().workingDir(dir).run(args);
    }

    @Test
    void writesJsonReportHdrLogsAndPrintsTheTable() throws Exception {
        CliRunner.Result r = run("loadtest", "--endpoint", server.baseUrl(), "-c", "4", "--requests", "40",
                "--warmup", "4", "--metrics-url", "none", "--out", "report.json", "--hdr-log", "hdr",
                "-H", "X-Canary: always");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("ttft (ms)") && r.out().contains("itl (ms)") && r.out().contains("e2e (ms)"), r.out());
        assertTrue(r.out().contains("Status: VALID"), r.out());

        JsonNode report = Json.mapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(1, report.path("schemaVersion").asInt());
        assertEquals("VALID", report.path("status").asText());
        assertEquals("closed", report.path("configuration").path("mode").asText());
        assertEquals("X-Canary", report.path("configuration").path("headers").path(0).asText());
        assertEquals(40, report.path("results").path("succeeded").asLong());
        assertEquals(320, report.path("results").path("outputTokens").asLong());
        for (String metric : List.of("ttft", "itl", "tpot", "e2e")) {
            JsonNode m = report.path("results").path("latencies").path(metric);
            for (String field : List.of("count", "minMs", "meanMs", "p50Ms", "p90Ms", "p95Ms", "p99Ms", "p999Ms", "maxMs")) {
                assertTrue(m.has(field), metric + "." + field + " missing in " + m);
            }
        }
        assertTrue(report.path("results").path("latencies").path("ttft").path("p50Ms").asDouble() >= 30);
        assertTrue(report.path("timeSeries").isArray() && !report.path("timeSeries").isEmpty(), report.toString());
        assertTrue(report.path("generator").has("cpuCores"));
        assertTrue(report.path("environment").has("startedAt"));

        long ttftCount = 0;
        HistogramLogReader reader = new HistogramLogReader(dir.resolve("hdr/ttft.hlog").toFile());
        EncodableHistogram h;
        while ((h = reader.nextIntervalHistogram()) != null) {
            assertEquals("ttft", h.getTag());
            ttftCount += ((Histogram) h).getTotalCount();
        }
        assertEquals(40, ttftCount);
        assertTrue(Files.exists(dir.resolve("hdr/itl.hlog")) && Files.exists(dir.resolve("hdr/e2e.hlog")));
        try (var files = Files.list(dir.resolve("hdr"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void sloBreachExitsOneNamingEachBreach() {
        CliRunner.Result r = run("loadtest", "--endpoint", server.baseUrl(), "-c", "2", "--requests", "10",
                "--metrics-url", "none", "--slo", "ttft.p99<=1ms", "--slo", "itl.p99<=1ms", "--slo", "error_rate<=1%");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("ttft.p99<=1ms") && r.err().contains("itl.p99<=1ms"), r.err());
        assertFalse(r.err().contains("error_rate<=1%"), r.err());
        assertTrue(r.out().contains("BREACHED"), r.out());
    }

    @Test
    void metSlosExitZero() {
        CliRunner.Result r = run("loadtest", "--endpoint", server.baseUrl(), "-c", "2", "--requests", "10",
                "--metrics-url", "none", "--slo", "ttft.p50<=10s", "--slo", "error_rate<=1%", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\"goodputPerSecond\""), r.out());
    }

    @Test
    void withoutAnEndpointItTestsAnEmbeddedSimulatorAndSaysSo() {
        CliRunner.Result r = run("loadtest", "-c", "2", "--requests", "4", "--max-tokens", "8", "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("testing an embedded simulator at http://127.0.0.1:"), r.err());
        assertTrue(r.out().contains("\"succeeded\" : 4"), r.out());
        assertTrue(r.out().contains("\"server\""), "the simulator's /metrics gives the server view: " + r.out());
    }

    @Test
    void unreachableEndpointExitsFour() {
        CliRunner.Result r = run("loadtest", "--endpoint", "http://127.0.0.1:" + FreePorts.next(), "--model", "m",
                "--requests", "5", "--metrics-url", "none");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().contains("cannot reach"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void badInputIsReportedInOneLine() throws Exception {
        assertEquals(3, run("loadtest", "--endpoint", server.baseUrl(), "--slo", "ttft<=2s").exitCode());
        assertEquals(3, run("loadtest", "--endpoint", server.baseUrl(), "--sweep", "threads=1,2").exitCode());
        Files.writeString(dir.resolve("bad.jsonl"), "{\"messages\": 3}\n");
        CliRunner.Result r = run("loadtest", "--endpoint", server.baseUrl(), "--prompts", "bad.jsonl");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("bad.jsonl:1"), r.err());
    }

    @Test
    void compareShowsDeltasAgainstAnEarlierReport() {
        assertEquals(0, run("loadtest", "--endpoint", server.baseUrl(), "--requests", "5", "--metrics-url", "none",
                "--out", "old.json").exitCode());
        CliRunner.Result r = run("loadtest", "--endpoint", server.baseUrl(), "--requests", "5", "--metrics-url", "none",
                "--compare", "old.json");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Compared with") && r.out().contains("DELTA"), r.out());
    }

    @Test
    void aZeroTimeoutIsBadInput() {
        CliRunner.Result r = run("loadtest", "--endpoint", server.baseUrl(), "--requests", "5", "--metrics-url", "none",
                "--timeout", "0s");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("chatbotctl: error: --timeout must be above 0"), r.err());
    }

    @Test
    void aCompareFileThatIsNoReportIsRefusedBeforeAnyLoadIsSent() throws Exception {
        Files.writeString(dir.resolve("notes.json"), "{\"hello\": 1}");
        CliRunner.Result r = run("loadtest", "--endpoint", server.baseUrl(), "--requests", "5", "--metrics-url", "none",
                "--compare", "notes.json", "--out", "new.json");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("chatbotctl: error: " + dir.resolve("notes.json") + " is not a loadtest report"), r.err());
        assertFalse(r.err().contains("closed loop"), "no run started: " + r.err());
        assertFalse(Files.exists(dir.resolve("new.json")), "no report written");
    }

    @Test
    void rateSweepWithAnImpossibleSloExitsOneAndStillWritesTheHtml() {
        CliRunner.Result r = run("loadtest", "--endpoint", server.baseUrl(), "--sweep", "rate=20,40", "--duration", "1s",
                "--max-schedule-lag", "1s", "--metrics-url", "none", "--slo", "ttft.p50<=1ms", "--html", "sweep.html");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.out().contains("No step met the SLOs."), r.out());
        assertTrue(Files.exists(dir.resolve("sweep.html")));
    }

    @Test
    void sweepReportsTheHighestStepMeetingTheSlos() throws Exception {
        CliRunner.Result r = run("loadtest", "--endpoint", server.baseUrl(), "--sweep", "concurrency=1,2",
                "--requests", "6", "--metrics-url", "none", "--slo", "ttft.p99<=10s", "--out", "sweep.json");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Highest concurrency meeting the SLOs: 2"), r.out());
        JsonNode sweep = Json.mapper().readTree(dir.resolve("sweep.json").toFile());
        assertEquals(2, sweep.path("steps").size());
        assertEquals(2.0, sweep.path("best").asDouble());
    }
}
