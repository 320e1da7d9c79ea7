package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML report as a browser sees it: Debian's headless Chromium loads it, without console errors, plots present. */
class HtmlReportChromiumTest {
    @TempDir
    Path dir;

    @Test
    void reportLoadsInHeadlessChromiumWithItsPlots() throws Exception {
        Path chromium = RealParts.require("/usr/bin/chromium", "apt-get install -y chromium");
        try (SseTestServer server = new SseTestServer(20, 3, 6, true)) {
            server.failEvery(7);
            CliRunner.Result r = new CliRunner().workingDir(dir).run("loadtest", "--endpoint", server.baseUrl(),
                    "--rate", "40", "--duration", "2s", "--max-schedule-lag", "1s", "--metrics-url", "none",
                    "--html", "report.html", "--out", "open.json");
            assertEquals(0, r.exitCode(), r.toString());
        }
        JsonNode open = Json.mapper().readTree(dir.resolve("open.json").toFile());
        assertEquals("open", open.path("configuration").path("mode").asText());
        assertEquals("constant", open.path("configuration").path("arrival").asText());
        for (String metric : List.of("ttft", "e2e", "ttft_service", "e2e_service")) {
            assertTrue(open.path("results").path("latencies").has(metric), metric + " missing: " + open);
        }
        assertEquals(40.0, open.path("generator").path("targetRate").asDouble());
        assertTrue(open.path("generator").path("scheduleLag").has("p99Ms"), open.toString());
        assertTrue(open.path("results").path("errors").path("http_503").asLong() > 0, open.toString());
        assertTrue(open.path("results").path("errorExamples").path("http_503").asText().contains("overloaded"), open.toString());
        Path html = dir.resolve("report.html");
        String source = Files.readString(html);
        assertFalse(source.contains("<script") || source.contains("<link") || source.contains("src=\"http"),
                "the report must not load anything");

        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--enable-logging=stderr", "--v=0",
                "--dump-dom", html.toUri().toString())
                .redirectError(dir.resolve("chromium.err").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        String log = Files.readString(dir.resolve("chromium.err"));
        assertEquals(0, p.exitValue(), log);
        for (String line : log.split("\n")) {
            assertFalse(line.contains("CONSOLE") || line.contains("Uncaught"), "console message: " + line);
        }
        for (String id : List.of("percentiles", "latency-over-time", "throughput-over-time", "errors")) {
            assertTrue(dom.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\""), id + " plot missing");
        }
        assertTrue(count(dom, "<polyline") >= 4 + 4 + 3, "plot lines missing");
        assertTrue(count(dom, "class=\"bar\"") >= 1, "error bar missing");
        assertTrue(dom.contains("http_503"), "error kind missing");
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
