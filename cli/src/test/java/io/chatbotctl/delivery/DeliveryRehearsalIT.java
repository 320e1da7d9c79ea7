package io.chatbotctl.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.canary.AnalysisLoader;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.Repository;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workflows rehearsed end to end against {@link DeliveryStack} (docs/rehearsal.md): each test runs a workflow's
 * jobs as a runner would, the {@code ./chatbotctl} lines on the packaged launcher, and checks what the pipeline left
 * in the clusters, the registry, the artifacts and the pull request.
 */
@ExtendWith(DeliveryStack.Extension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryRehearsalIT {
    /**
     * ci.yml's "Test" step runs {@code ./scripts/test}, that is {@code mvn verify}: the build this rehearsal runs in.
     * Running it again would recurse; the step is replaced, and the replacement says so in the step's log.
     */
    static final Rehearsal.Replacement TEST_STEP = new Rehearsal.Replacement(
            Pattern.compile("(^|\\s)\\./scripts/test(\\s|$)").asPredicate(),
            "echo 'rehearsal: ./scripts/test is mvn verify, the very build running this rehearsal'",
            "./scripts/test is this mvn verify run");

    @TempDir
    Path runs;

    static Path workflow(String name) {
        return Repository.file(".github/workflows/" + name);
    }

    /**
     * The built-in analysis on a 2 s rate window, so that a 16 s interval holds its 5 samples even when the canary's 10%
     * of the traffic leaves a window empty (Prometheus scrapes every second here); ITL's absolute limit loosened because this shared machine stalls for whole seconds under load
     * (canary and stable stall alike, so the comparison stays); one failed or inconclusive interval decides.
     */
    static Path quickAnalysis() throws Exception {
        Path file = Files.createTempFile("rehearsal-analysis", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, AnalysisLoader.builtInText()
                .replace("rateWindow: 1m", "rateWindow: 2s")
                .replace("threshold: 0.2\n", "threshold: 5\n")
                .replace("failureLimit: 2", "failureLimit: 1")
                .replace("inconclusiveLimit: 2", "inconclusiveLimit: 1"));
        return file;
    }

    /** The repository's settings plus short durations, so that a rehearsal takes seconds where a release takes hours. */
    static Fixture quick(DeliveryStack stack, Fixture event) throws Exception {
        return stack.withRepositorySettings(event)
                .var("CANARY_ANALYSIS", quickAnalysis().toString())
                .var("LOADTEST_MAX_SCHEDULE_LAG", "500ms")
                .var("DEPLOY_TIMEOUT", "2m")
                .var("LOADTEST_DURATION", "6s")
                .var("LOADTEST_WARMUP", "1s")
                .var("LOADTEST_CONCURRENCY", "4")
                .var("CANARY_INTERVAL", "16s");
    }

    Rehearsal cd(DeliveryStack stack, DeliveryStack.Scenario scenario) throws Exception {
        return Rehearsal.of(workflow("cd.yml")).fixture(quick(stack, Fixture.push())).standIns(stack.standIns());
    }

    static Deployment deployment(KubeMockCluster cluster, String name) {
        return cluster.client().apps().deployments().withName(name).get();
    }

    static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static void assertAllSucceeded(Rehearsal.Run run) {
        for (Rehearsal.JobRun job : run.jobs().values()) {
            assertEquals("success", job.result(), "job " + job.id() + ":\n" + run.transcript());
            for (Rehearsal.StepRun step : job.steps()) {
                assertTrue(step.outcome().equals("success") || step.outcome().equals("skipped"), step.name() + ":\n" + run.transcript());
            }
        }
    }

    @Test
    @Order(1)
    void aGoodChangePassesCiDeploysStagingAndIsPromotedInProduction(DeliveryStack stack) throws Exception {
        Rehearsal.Run ci = Rehearsal.of(workflow("ci.yml")).fixture(quick(stack, Fixture.push())).standIns(stack.standIns())
                .replace(TEST_STEP).run(runs.resolve("ci"));
        assertAllSucceeded(ci);
        assertEquals(1, ci.replaced().size(), ci.replaced().toString());
        for (String env : List.of("staging", "production")) {
            assertTrue(Files.size(ci.runDir().resolve("artifacts/ci-reports/reports/manifests-" + env + ".yaml")) > 0, ci.transcript());
            assertTrue(Files.isRegularFile(ci.runDir().resolve("artifacts/ci-reports/reports/rules-" + env + ".json")), ci.transcript());
        }

        try (DeliveryStack.Scenario scenario = stack.scenario("good", DeliveryStack.Flavour.GOOD)) {
            Rehearsal.Run cd = cd(stack, scenario).run(runs.resolve("cd"));
            assertAllSucceeded(cd);
            String built = cd.job("image").outputs().get("image");
            assertTrue(built.startsWith(StandIns.REGISTRY + "/chatbotctl:" + Fixture.SHA.substring(0, 12)), built);
            assertTrue(Files.readAllLines(cd.runDir().resolve("registry/pushed")).contains(built), "pushed: " + built);

            Deployment staging = deployment(stack.staging, "vllm-chatbot");
            assertEquals(DeliveryStack.NEW_IMAGE, image(staging));
            Deployment production = deployment(stack.production, "vllm-chatbot");
            assertEquals(DeliveryStack.NEW_IMAGE, image(production), "promoted:\n" + cd.transcript());
            assertNull(deployment(stack.production, "vllm-chatbot-canary"), "promoted: canary removed");
            for (Deployment d : List.of(staging, production)) {
                List<Container> init = d.getSpec().getTemplate().getSpec().getInitContainers();
                assertTrue(init.stream().anyMatch(c -> c.getImage().equals(built)),
                        "the initContainer runs the image this run built (" + built + "): " + init.stream().map(Container::getImage).toList());
            }

            Path staged = cd.runDir().resolve("artifacts/staging-reports");
            JsonNode loadtest = Json.mapper().readTree(staged.resolve("loadtest.json").toFile());
            assertTrue(loadtest.path("slos").size() >= 4, "the SLO gates ran: " + loadtest.path("slos"));
            for (JsonNode slo : loadtest.path("slos")) {
                assertTrue(slo.path("passed").asBoolean(), "SLO met: " + slo);
            }
            Path released = cd.runDir().resolve("artifacts/production-reports");
            JsonNode canary = Json.mapper().readTree(released.resolve("canary-report.json").toFile());
            assertEquals("Promoted", canary.get("outcome").asText(), canary.toPrettyString());
            assertTrue(canary.get("intervals").size() >= 3, "step by step: " + canary.get("intervals"));
        }
    }

    @Test
    @Order(2)
    void aRegressedModelFailsModelEvalAgainstTheBaselineAndThePullRequestNamesTheFlippedCases(DeliveryStack stack) throws Exception {
        try (DeliveryStack.Scenario scenario = stack.scenario("regressed", DeliveryStack.Flavour.REGRESSED)) {
            long stableAsked = stack.evalRequests(DeliveryStack.Flavour.STABLE);
            long canaryAsked = stack.evalRequests(DeliveryStack.Flavour.REGRESSED);
            Rehearsal.Run run = Rehearsal.of(workflow("model-eval.yml")).fixture(quick(stack, Fixture.pullRequest(42)))
                    .standIns(stack.standIns())
                    .run(runs.resolve("model-eval"));
            Rehearsal.JobRun eval = run.job("eval");
            assertEquals("failure", eval.result(), run.transcript());
            Rehearsal.StepRun failed = eval.failedStep();
            assertEquals(1, failed.exitCode(), "the gate fails (exit 1), nothing else does:\n" + run.transcript());
            String comment = Files.readString(run.runDir().resolve("pr-comments/42.md"));
            System.out.println("pull request comment:\n" + comment);
            assertTrue(comment.contains("**FAIL**"), comment);
            assertTrue(Pattern.compile("Pass → fail: `[^`]+`").matcher(comment).find(), "names the flipped cases: " + comment);
            assertTrue(stack.evalRequests(DeliveryStack.Flavour.REGRESSED) - canaryAsked >= 20,
                    "the pull request's release (the canary) answered the eval");
            assertEquals(stableAsked, stack.evalRequests(DeliveryStack.Flavour.STABLE), "no eval request reached stable");
            assertTrue(Files.isDirectory(run.runDir().resolve("artifacts/eval-results")), run.transcript());
        }
    }

    @Test
    @Order(3)
    void aSlowerCanaryIsRolledBackAndProductionStaysOnThePreviousRelease(DeliveryStack stack) throws Exception {
        try (DeliveryStack.Scenario scenario = stack.scenario("slower", DeliveryStack.Flavour.SLOWER)) {
            Rehearsal.Run cd = cd(stack, scenario).run(runs.resolve("cd-slower"));
            assertEquals("success", cd.job("staging").result(), cd.transcript());
            Rehearsal.JobRun production = cd.job("production");
            assertEquals("failure", production.result(), cd.transcript());
            assertTrue(production.failedStep().name().startsWith("Watch"), "the watch fails, nothing before it:\n" + cd.transcript());
            assertEquals(1, production.failedStep().exitCode(), cd.transcript());
            JsonNode report = Json.mapper().readTree(cd.runDir().resolve("artifacts/production-reports/canary-report.json").toFile());
            assertEquals("RolledBack", report.get("outcome").asText(), report.toPrettyString());
            assertEquals(DeliveryStack.PREVIOUS_IMAGE, image(deployment(stack.production, "vllm-chatbot")));
            assertNull(deployment(stack.production, "vllm-chatbot-canary"), "rolled back: canary removed");
        }
    }

    @Test
    @Order(4)
    void prometheusUnreachableDuringTheCanaryPromotesNothing(DeliveryStack stack) throws Exception {
        try (DeliveryStack.Scenario scenario = stack.scenario("no-prometheus", DeliveryStack.Flavour.GOOD)) {
            Rehearsal.Run cd = cd(stack, scenario).hook((job, step) -> {
                if (job.equals("production") && step.startsWith("Watch")) {
                    scenario.prometheus.stop();
                }
            }).run(runs.resolve("cd-no-prometheus"));
            Rehearsal.JobRun production = cd.job("production");
            assertEquals("failure", production.result(), cd.transcript());
            Rehearsal.StepRun watch = production.failedStep();
            assertTrue(watch.name().startsWith("Watch"), "the watch fails, nothing before it:\n" + cd.transcript());
            assertTrue(watch.exitCode() == 4 || watch.exitCode() == 5, "exit 4 (unreachable) or 5 (inconclusive): " + watch);
            assertTrue(watch.log().toLowerCase(java.util.Locale.ROOT).contains("prometheus"), "names Prometheus: " + watch.log());
            assertEquals(DeliveryStack.PREVIOUS_IMAGE, image(deployment(stack.production, "vllm-chatbot")), "nothing promoted");
        }
    }
}
