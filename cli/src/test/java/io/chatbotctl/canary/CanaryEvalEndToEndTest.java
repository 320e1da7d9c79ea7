package io.chatbotctl.canary;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.prometheus.LocalPrometheus;
import io.chatbotctl.sim.RequestRecord;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.ProjectFiles;
import io.chatbotctl.testing.Repository;
import io.chatbotctl.testing.RolloutOutcome;
import io.chatbotctl.testing.RouteRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eval in the loop, end to end: the real Prometheus scrapes simulators labelled stable/canary with equal latency;
 * stable answers as {@code evals/responses/good-model.yaml}, the canary as the regressed model or as the good one.
 * {@code canary watch --eval-dataset evals/smoke.jsonl --eval-thresholds evals/thresholds-smoke.yaml} reaches the
 * service through {@link RouteRouter}, which routes by the HTTPRoute as the mock cluster has it: the eval's header
 * rule must bring every eval request to the canary and none to stable (asserted on the simulators' request logs:
 * the eval asks without streaming, the background load streams).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryEvalEndToEndTest {
    static final String MODEL = CanaryEndToEndTest.MODEL;
    static final String STABLE_IMAGE = CanaryEndToEndTest.STABLE_IMAGE;
    static final String CANARY_IMAGE = CanaryEndToEndTest.CANARY_IMAGE;

    @TempDir
    Path dir;
    final List<AutoCloseable> resources = new ArrayList<>();
    LocalPrometheus prometheus;
    Simulator stable;
    Map<String, Simulator> canaries;

    @BeforeAll
    void start() throws Exception {
        Path good = Repository.file("evals/responses/good-model.yaml");
        stable = sim(good);
        canaries = Map.of("regressed", sim(Repository.file("evals/responses/regressed-model.yaml")), "good", sim(good));
        List<LocalPrometheus.Target> targets = new ArrayList<>();
        for (var e : canaries.entrySet()) {
            targets.add(CanaryEndToEndTest.target(stable, "stable", e.getKey()));
            targets.add(CanaryEndToEndTest.target(e.getValue(), "canary", e.getKey()));
        }
        prometheus = LocalPrometheus.start(targets);
        resources.add(prometheus);
        for (Simulator s : List.of(stable, canaries.get("regressed"), canaries.get("good"))) {
            resources.add(new BackgroundLoad(s.baseUrl(), MODEL, 15, 4));
        }
        prometheus.awaitTargetsUp(Duration.ofSeconds(30));
        io.chatbotctl.prometheus.PrometheusClient client = new io.chatbotctl.prometheus.PrometheusClient(prometheus.url(), Duration.ofSeconds(5));
        String traffic = "count(sum by (scenario, track) (rate(http_requests_total{handler=~\"/v1/.*\"}[4s])) > 5) >= 4";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.query(traffic, java.time.Instant.now()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no traffic reached Prometheus within 60s");
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    void stop() {
        CanaryEndToEndTest.closeAll(resources);
    }

    Simulator sim(Path responses) {
        Simulator s = Simulator.start(SimConfig.builder().model(MODEL).prefillPer1kTokens(Duration.ofSeconds(5))
                .itl(Duration.ofMillis(60)).seed(1L).responses(responses).build());
        resources.add(s);
        return s;
    }

    static String origin(Simulator s) {
        return "http://127.0.0.1:" + s.port();
    }

    /** Eval requests are the non-streamed chat completions (the background load streams). */
    static long evalRequests(Simulator s) {
        return s.requestLog().stream().filter(r -> !r.stream() && r.handler().equals("/v1/chat/completions")).count();
    }

    CliRunner.Result watch(String scenario, Path scenarioDir, KubeMockCluster cluster, RouteRouter router) throws Exception {
        ProjectFiles.stagingConfig(scenarioDir, Repository.file("manifests/overlays/staging"),
                "    endpoint: " + router.url() + "/v1\n    prometheus: " + prometheus.url() + "\n");
        CliRunner cli = cluster.cli().workingDir(scenarioDir);
        CliRunner.Result deploy = cli.run("deploy", "--env", "staging", "--image", STABLE_IMAGE, "--timeout", "60s");
        assertEquals(0, deploy.exitCode(), deploy.toString());
        CliRunner.Result start = cli.run("canary", "start", "--env", "staging", "--image", CANARY_IMAGE, "--weight", "10", "--timeout", "30s");
        assertEquals(0, start.exitCode(), start.toString());
        Path analysis = CanaryEndToEndTest.analysisFile(scenarioDir, scenario);
        CliRunner.Result watch = cli.run("canary", "watch", "--env", "staging", "--analysis", analysis.toString(),
                "--steps", "25,50", "--interval", "10s", "--auto-promote", "--auto-rollback", "--out", "report.json",
                "--eval-dataset", Repository.file("evals/smoke.jsonl").toString(),
                "--eval-thresholds", Repository.file("evals/thresholds-smoke.yaml").toString());
        System.out.println("canary watch with eval, scenario " + scenario + ": " + watch);
        return watch;
    }

    /** What one scenario left: the watch, its report, eval requests at the canary, the stable image after it. */
    record Run(CliRunner.Result watch, JsonNode report, long canaryEvalRequests, String stableImage, boolean canaryLeft) {
    }

    /** Runs one scenario on a fresh mock cluster with its router; asserts that no eval request reached stable. */
    Run scenario(String name) throws Exception {
        Path scenarioDir = Files.createDirectories(dir.resolve(name));
        Simulator canary = canaries.get(name);
        long stableBefore = evalRequests(stable);
        long canaryBefore = evalRequests(canary);
        Run run;
        try (KubeMockCluster cluster = KubeMockCluster.start(scenarioDir);
             RouteRouter router = RouteRouter.start(cluster.client(), "vllm-chatbot",
                     Map.of("vllm-service", origin(stable), "vllm-service-canary", origin(canary)))) {
            cluster.controller().stageDelay(Duration.ofMillis(20)).onEveryRollout(d -> RolloutOutcome.succeed());
            CliRunner.Result watch = watch(name, scenarioDir, cluster, router);
            var k = cluster.client();
            run = new Run(watch, Json.mapper().readTree(scenarioDir.resolve("report.json").toFile()),
                    evalRequests(canary) - canaryBefore, KubeCanary.image(k.apps().deployments().withName("vllm-chatbot").get()),
                    k.apps().deployments().withName("vllm-chatbot-canary").get() != null);
        }
        assertEquals(stableBefore, evalRequests(stable), "no eval request reached stable");
        return run;
    }

    @Test
    void equalLatencyButARegressedModelFailsOnTheEvalAndOnlyTheCanaryIsAsked() throws Exception {
        Run run = scenario("regressed");
        assertEquals(1, run.watch().exitCode(), run.watch().toString());
        assertEquals("RolledBack", run.report().get("outcome").asText());
        JsonNode interval = run.report().at("/intervals/0");
        assertEquals("critical metric failed: eval_gate", interval.get("reason").asText(), interval.toString());
        for (JsonNode m : interval.get("metrics")) {
            if (m.get("metric").asText().equals("ttft_p95")) {
                assertEquals("false", m.get("failed").asText(), "equal latency: " + m);
            }
        }
        assertEquals("fail", interval.at("/eval/verdict").asText());
        assertTrue(interval.at("/eval/failingCases").toString().contains("smoke-ko-refund"), interval.at("/eval").toString());
        assertTrue(run.watch().out().contains("eval failing: smoke-ko-refund"), run.watch().out());
        assertEquals(5, run.canaryEvalRequests(), "every eval case asked the canary once");
        assertEquals(STABLE_IMAGE, run.stableImage());
        assertTrue(!run.canaryLeft(), "rolled back: canary removed");
    }

    @Test
    void goodAnswersAndEqualLatencyPassAndArePromoted() throws Exception {
        Run run = scenario("good");
        assertEquals(0, run.watch().exitCode(), run.watch().toString());
        assertEquals("Promoted", run.report().get("outcome").asText());
        int intervals = run.report().get("intervals").size();
        for (JsonNode i : run.report().get("intervals")) {
            assertEquals("pass", i.at("/eval/verdict").asText(), i.toString());
            assertEquals(1.0, i.at("/eval/passRate").asDouble(), 1e-9);
        }
        assertEquals(5L * intervals, run.canaryEvalRequests(), "5 eval cases per interval, all to the canary");
        assertEquals(CANARY_IMAGE, run.stableImage());
        assertTrue(!run.canaryLeft(), "promoted: canary removed");
    }
}
