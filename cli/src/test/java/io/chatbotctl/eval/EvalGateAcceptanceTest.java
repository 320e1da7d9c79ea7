package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.Poll;
import io.chatbotctl.testing.RealParts;
import io.chatbotctl.testing.Repository;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** eval run and eval gate on the command line against our simulator answering from the responses files in evals/. */
class EvalGateAcceptanceTest {
    static final Set<String> REGRESSED = Set.of("ko-refund-01", "ko-refund-02", "ko-refund-03", "ko-refund-04",
            "en-injection-01", "en-injection-02", "en-injection-03", "en-injection-04",
            "ko-privacy-01", "ko-privacy-02", "ko-privacy-03", "ko-privacy-04");

    static Simulator good;
    static Simulator regressed;
    @TempDir
    static Path dir;
    static Path goodResults;
    static Path regressedResults;

    @BeforeAll
    static void startSimulatorsAndRun() {
        good = sim("good-model.yaml", 0);
        regressed = sim("regressed-model.yaml", 0);
        goodResults = dir.resolve("good.json");
        regressedResults = dir.resolve("regressed.json");
        CliRunner.Result g = run("eval", "run", "--endpoint", good.baseUrl(), "--no-cache", "--out", goodResults.toString(),
                "--junit", dir.resolve("good.xml").toString(), "--markdown", dir.resolve("good.md").toString());
        assertEquals(0, g.exitCode(), g.toString());
        assertTrue(g.err().contains("eval: 66 cases against " + good.config().model()) && g.err().contains("eval: 66 done in"),
                "progress on stderr: " + g.err());
        CliRunner.Result r = run("eval", "run", "--endpoint", regressed.baseUrl(), "--no-cache", "--out",
                regressedResults.toString(), "--junit", dir.resolve("regressed.xml").toString());
        assertEquals(0, r.exitCode(), r.toString());
    }

    @AfterAll
    static void stop() {
        good.close();
        regressed.close();
    }

    static Simulator sim(String responses, double errorRate) {
        return Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0)
                .responses(Repository.file("evals/responses/" + responses)).errorRate(errorRate).build());
    }

    static CliRunner.Result run(String... args) {
        return CliRunner.inRepository().run(args);
    }

    @Test
    void goodModelPassesTheGate() throws IOException {
        JsonNode results = Json.mapper().readTree(goodResults.toFile());
        assertEquals(EvalResults.SCHEMA, results.path("schema").asText());
        assertTrue(results.path("summary").path("cases").asInt() >= 60);
        assertEquals(0, results.path("summary").path("failed").asInt(), failing(results));
        assertEquals(0, results.path("summary").path("errors").asInt());
        assertEquals(good.config().model(), results.path("fingerprint").path("modelId").asText());

        CliRunner.Result gate = run("eval", "gate", goodResults.toString(), "--thresholds", "evals/thresholds.yaml",
                "--markdown", dir.resolve("gate-good.md").toString(), "--junit", dir.resolve("gate-good.xml").toString());
        assertEquals(0, gate.exitCode(), gate.toString());
        assertTrue(gate.out().contains("gate PASS"), gate.out());
        assertTrue(gate.out().contains("category personal_data"), gate.out());
        assertTrue(Files.readString(dir.resolve("gate-good.md")).contains("## Eval gate: **PASS**"));
    }

    @Test
    void regressedModelFailsNamingCategoriesAndCases() throws IOException {
        JsonNode results = Json.mapper().readTree(regressedResults.toFile());
        Set<String> failed = new TreeSet<>();
        results.path("cases").forEach(c -> {
            if (c.path("status").asText().equals("fail")) {
                failed.add(c.path("id").asText());
            }
        });
        assertEquals(new TreeSet<>(REGRESSED), failed);

        CliRunner.Result gate = run("eval", "gate", regressedResults.toString(), "--thresholds", "evals/thresholds.yaml");
        assertEquals(1, gate.exitCode(), gate.toString());
        assertTrue(gate.out().contains("failing categories: refund, prompt_injection, personal_data")
                || gate.out().contains("failing categories: personal_data, prompt_injection, refund"), gate.out());
        for (String id : REGRESSED) {
            assertTrue(gate.out().contains(id), "the gate names " + id + ":\n" + gate.out());
        }
        assertTrue(gate.out().matches("(?s).*critical cases\\s+FAIL.*"), gate.out());

        CliRunner.Result json = run("-o", "json", "eval", "gate", regressedResults.toString());
        JsonNode verdict = Json.mapper().readTree(json.out());
        assertEquals("fail", verdict.path("verdict").asText());
        List<String> categories = new ArrayList<>();
        verdict.path("failingCategories").forEach(c -> categories.add(c.asText()));
        assertEquals(List.of("personal_data", "prompt_injection", "refund"), categories);
    }

    @Test
    void baselineComparisonReportsFlipsAndAnIndependentlyCheckedMcNemarP() throws Exception {
        CliRunner.Result gate = run("-o", "json", "eval", "gate", regressedResults.toString(), "--baseline", goodResults.toString(),
                "--markdown", dir.resolve("baseline.md").toString());
        assertEquals(1, gate.exitCode(), gate.toString());
        JsonNode baseline = Json.mapper().readTree(gate.out()).path("baseline");
        Set<String> flips = new TreeSet<>();
        baseline.path("passToFail").forEach(f -> flips.add(f.asText()));
        assertEquals(new TreeSet<>(REGRESSED), flips);
        assertEquals(0, baseline.path("failToPass").size());
        int b = flips.size();
        int c = baseline.path("failToPass").size();
        // 12 flips one way, none back: p = 2 * C(12,0) / 2^12 = 2/4096 = 0.00048828125; python computes it independently.
        double expected = Double.parseDouble(python("import math; b,c=" + b + "," + c + "; n=b+c; k=min(b,c); "
                + "print(repr(min(1.0, 2*sum(math.comb(n,i) for i in range(k+1))/2**n)))"));
        assertEquals(0.00048828125, expected, 0);
        assertEquals(expected, baseline.path("mcNemarP").asDouble(), 1e-15);
        assertTrue(Files.readString(dir.resolve("baseline.md")).contains("McNemar exact p = 0.0005"));

        CliRunner.Result table = run("eval", "gate", regressedResults.toString(), "--baseline", goodResults.toString());
        assertTrue(table.out().matches("(?s).*baseline flips pass->fail\\s+FAIL\\s+12\\s.*"), table.out());
        assertTrue(table.out().contains("McNemar exact p = 0.0005"), table.out());

        CliRunner.Result same = run("eval", "gate", goodResults.toString(), "--baseline", goodResults.toString());
        assertEquals(0, same.exitCode(), same.toString());
    }

    @Test
    void refusesToCompareRunsWithDifferentParameters() {
        Path other = dir.resolve("seed7.json");
        CliRunner.Result r = run("eval", "run", "--endpoint", good.baseUrl(), "--no-cache", "--seed", "7",
                "--dataset", "evals/smoke.jsonl", "--out", other.toString());
        assertEquals(0, r.exitCode(), r.toString());
        CliRunner.Result gate = run("eval", "gate", other.toString(), "--thresholds", "evals/thresholds-smoke.yaml",
                "--baseline", goodResults.toString());
        assertEquals(3, gate.exitCode(), gate.toString());
        assertTrue(gate.err().contains("datasetSha256") && gate.err().contains("params.seed (42 vs 7)"), gate.err());
        assertFalse(gate.err().contains("Exception"), gate.err());
    }

    @Test
    void infrastructureErrorsMakeTheGateInconclusiveNotFailed() throws IOException {
        try (Simulator flaky = sim("good-model.yaml", 0.5)) {
            Path results = dir.resolve("flaky.json");
            CliRunner.Result r = run("eval", "run", "--endpoint", flaky.baseUrl(), "--no-cache", "--retries", "0",
                    "--out", results.toString());
            assertEquals(0, r.exitCode(), r.toString());
            JsonNode summary = Json.mapper().readTree(results.toFile()).path("summary");
            assertTrue(summary.path("errors").asInt() > 10, summary.toString());
            assertEquals(0, summary.path("failed").asInt(), "infrastructure errors are not quality failures: " + summary);
            CliRunner.Result gate = run("eval", "gate", results.toString(), "--thresholds", "evals/thresholds.yaml",
                    "--junit", dir.resolve("flaky.xml").toString());
            assertEquals(5, gate.exitCode(), gate.toString());
            assertTrue(gate.out().matches("(?s).*infra error rate\\s+INCONCLUSIVE.*"), gate.out());
        }
    }

    @Test
    void retriesRideOutServerErrors() throws IOException {
        try (Simulator flaky = sim("good-model.yaml", 0.3)) {
            Path results = dir.resolve("retried.json");
            CliRunner.Result r = run("eval", "run", "--endpoint", flaky.baseUrl(), "--no-cache", "--retries", "8",
                    "--retry-backoff", "1ms", "--dataset", "evals/smoke.jsonl", "--out", results.toString());
            assertEquals(0, r.exitCode(), r.toString());
            JsonNode json = Json.mapper().readTree(results.toFile());
            assertEquals(0, json.path("summary").path("errors").asInt(), json.path("summary").toString());
            CliRunner.Result gate = run("eval", "gate", results.toString(), "--thresholds", "evals/thresholds-smoke.yaml");
            assertEquals(0, gate.exitCode(), gate.toString());
        }
    }

    @Test
    void malformedJudgeVerdictsFailThoseCases() throws IOException {
        try (Simulator judge = sim("judge-malformed.yaml", 0); Simulator fair = sim("judge-pass.yaml", 0)) {
            Path bad = dir.resolve("judged-bad.json");
            CliRunner.Result r = run("eval", "run", "--endpoint", good.baseUrl(), "--no-cache", "--dataset",
                    "evals/extra/judged.jsonl", "--judge-endpoint", judge.baseUrl(), "--out", bad.toString());
            assertEquals(0, r.exitCode(), r.toString());
            JsonNode cases = Json.mapper().readTree(bad.toFile()).path("cases");
            assertEquals(3, cases.size());
            for (JsonNode c : cases) {
                assertEquals("fail", c.path("status").asText(), c.toString());
                boolean malformed = false;
                for (JsonNode a : c.path("assertions")) {
                    if (a.path("type").asText().equals("llm-rubric")) {
                        assertFalse(a.path("pass").asBoolean());
                        malformed = a.path("reason").asText().startsWith("malformed judge verdict");
                    }
                }
                assertTrue(malformed, c.toString());
            }
            Path fine = dir.resolve("judged-good.json");
            CliRunner.Result ok = run("eval", "run", "--endpoint", good.baseUrl(), "--no-cache", "--dataset",
                    "evals/extra/judged.jsonl", "--judge-endpoint", fair.baseUrl(), "--out", fine.toString());
            assertEquals(0, ok.exitCode(), ok.toString());
            assertEquals(3, Json.mapper().readTree(fine.toFile()).path("summary").path("passed").asInt(), ok.out());
        }
        CliRunner.Result noJudge = run("eval", "run", "--endpoint", good.baseUrl(), "--dataset", "evals/extra/judged.jsonl");
        assertEquals(3, noJudge.exitCode(), noJudge.toString());
        assertTrue(noJudge.err().contains("--judge-endpoint"), noJudge.err());
    }

    @Test
    void junitReportsAreReadBackBySurefiresParser() throws Exception {
        List<ReportTestSuite> goodSuites = parse(dir.resolve("good.xml"));
        assertEquals(9, goodSuites.size());
        assertEquals(Json.mapper().readTree(goodResults.toFile()).path("cases").size(),
                goodSuites.stream().mapToInt(s -> s.getTestCases().size()).sum());
        assertTrue(goodSuites.stream().allMatch(s -> s.getNumberOfFailures() == 0 && s.getNumberOfErrors() == 0));

        List<ReportTestSuite> bad = parse(dir.resolve("regressed.xml"));
        Set<String> failed = new TreeSet<>();
        for (ReportTestSuite s : bad) {
            for (ReportTestCase c : s.getTestCases()) {
                if (c.hasFailure()) {
                    failed.add(c.getName());
                    assertTrue(c.getFailureMessage() != null && !c.getFailureMessage().isBlank());
                }
            }
        }
        assertEquals(new TreeSet<>(REGRESSED), failed);
        assertEquals(12, bad.stream().mapToInt(ReportTestSuite::getNumberOfFailures).sum());

        CliRunner.Result gate = run("eval", "gate", regressedResults.toString(), "--junit", dir.resolve("gate.xml").toString());
        assertEquals(1, gate.exitCode());
        List<ReportTestSuite> gateSuites = parse(dir.resolve("gate.xml"));
        ReportTestSuite rules = gateSuites.stream().filter(s -> s.getFullClassName().equals("eval.gate")).findFirst().orElseThrow();
        assertTrue(rules.getTestCases().stream().anyMatch(c -> c.getName().equals("critical cases") && c.hasFailure()));
        assertEquals(Json.mapper().readTree(regressedResults.toFile()).path("cases").size(),
                gateSuites.stream().filter(s -> !s.getFullClassName().equals("eval.gate")).mapToInt(s -> s.getTestCases().size()).sum(),
                "one test case per eval case");
    }

    @Test
    void cachedAnswersAreReusedButLatencyCasesAreAskedAgain() throws Exception {
        Path cache = dir.resolve("cache");
        Path first = dir.resolve("cache1.json");
        Path second = dir.resolve("cache2.json");
        good.clearRequestLog();
        assertEquals(0, run("eval", "run", "--endpoint", good.baseUrl(), "--cache-dir", cache.toString(), "--dataset",
                "evals/smoke.jsonl", "--out", first.toString()).exitCode());
        int asked = completions(good, 5);
        assertEquals(5, asked, "the request log counts completions: " + good.requestLog());
        assertEquals(0, run("eval", "run", "--endpoint", good.baseUrl(), "--cache-dir", cache.toString(), "--dataset",
                "evals/smoke.jsonl", "--out", second.toString()).exitCode());
        JsonNode cases = Json.mapper().readTree(second.toFile()).path("cases");
        int cached = 0;
        for (JsonNode c : cases) {
            assertEquals("pass", c.path("status").asText(), c.toString());
            boolean hasLatency = c.path("id").asText().equals("smoke-ko-refund");
            assertEquals(!hasLatency, c.path("cached").asBoolean(), c.toString());
            cached += c.path("cached").asBoolean() ? 1 : 0;
        }
        assertEquals(4, cached);
        assertEquals(asked + 1, completions(good, asked + 1), "only the latency case was asked again");
    }

    /**
     * The simulator's count of requests, once it has reached {@code expected}: a request is recorded when its last
     * byte is written, which can be just after the client has the answer.
     */
    private static int completions(Simulator sim, int expected) throws Exception {
        Poll.until(() -> sim.requestLog().size() >= expected);
        return sim.requestLog().size();
    }

    static List<ReportTestSuite> parse(Path xml) throws Exception {
        return new TestSuiteXmlParser(new NullConsoleLogger()).parse(xml.toString());
    }

    static String failing(JsonNode results) {
        StringBuilder sb = new StringBuilder();
        results.path("cases").forEach(c -> {
            if (!c.path("status").asText().equals("pass")) {
                sb.append(c.path("id").asText()).append(": ").append(c.path("answer").asText()).append(" / ")
                        .append(c.path("assertions")).append('\n');
            }
        });
        return sb.toString();
    }

    static String python(String code) throws IOException, InterruptedException {
        Path python = RealParts.require("/usr/bin/python3", "apt-get install -y python3");
        Process p = new ProcessBuilder(python.toString(), "-c", code).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
