package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.Poll;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cached answer is reused only for the same endpoint, extra headers and served model (issue 17 item 1): two
 * simulators serve different answers under the same model id, one after the other, with the cache on.
 */
class EvalCacheIdentityTest {
    /** The smoke cases the regressed answers fail. */
    static final List<String> REGRESSED_FAILS = List.of("smoke-ko-refund");

    @TempDir
    Path dir;

    static Simulator sim(String responses, int port, int maxModelLen) {
        return Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(port).maxModelLen(maxModelLen)
                .responses(Repository.file("evals/responses/" + responses)).build());
    }

    CliRunner.Result run(Simulator sim, String out, String... more) {
        List<String> args = new ArrayList<>(List.of("eval", "run", "--endpoint", sim.baseUrl(), "--dataset",
                "evals/smoke.jsonl", "--cache-dir", dir.resolve("cache").toString(), "--out", dir.resolve(out).toString()));
        args.addAll(List.of(more));
        return CliRunner.inRepository().run(args.toArray(String[]::new));
    }

    JsonNode results(String out) throws Exception {
        return Json.mapper().readTree(dir.resolve(out).toFile());
    }

    static List<String> failing(JsonNode results) {
        List<String> ids = new ArrayList<>();
        results.path("cases").forEach(c -> {
            if (!c.path("status").asText().equals("pass")) {
                ids.add(c.path("id").asText());
            }
        });
        return ids;
    }

    static int completions(Simulator sim, int expected) throws Exception {
        Poll.until(() -> sim.requestLog().size() >= expected);
        Thread.sleep(200);
        return sim.requestLog().size();
    }

    @Test
    void theSecondServerUnderTheSameModelIdIsAskedNotReplayedFromTheFirst() throws Exception {
        try (Simulator regressed = sim("regressed-model.yaml", 0, 8192);
             Simulator good = sim("good-model.yaml", 0, 8192)) {
            assertEquals(regressed.config().model(), good.config().model(), "the same model id");

            CliRunner.Result first = run(regressed, "regressed.json");
            assertEquals(0, first.exitCode(), first.toString());
            assertEquals(REGRESSED_FAILS, failing(results("regressed.json")), first.toString());
            assertTrue(first.out().contains("answers from the cache: 0 of 5"), first.out());

            CliRunner.Result second = run(good, "good.json");
            assertEquals(0, second.exitCode(), second.toString());
            JsonNode r = results("good.json");
            assertEquals(List.of(), failing(r), "the second run's results are the second server's: " + second.out());
            assertEquals(0, r.path("summary").path("cachedAnswers").asInt(), r.path("summary").toString());
            assertEquals(5, completions(good, 5), "every case asked of the second server");
            assertTrue(second.out().contains("answers from the cache: 0 of 5"), second.out());

            CliRunner.Result again = run(good, "good-again.json");
            JsonNode a = results("good-again.json");
            assertEquals(List.of(), failing(a));
            assertEquals(4, a.path("summary").path("cachedAnswers").asInt(), "the same server again: all but the latency case");
            assertTrue(again.out().contains("answers from the cache: 4 of 5"), again.out());
            assertEquals("llama-3.1-8b-instruct", a.path("servedModel").path("id").asText(), a.path("servedModel").toString());
            assertTrue(a.path("servedModel").path("created").isMissingNode(), "vLLM's created is the request's time: left out");
        }
    }

    @Test
    void anotherServerOnTheSameAddressACanaryHeaderOrAnotherRevisionIsAMiss() throws Exception {
        int port = FreePorts.next();
        try (Simulator regressed = sim("regressed-model.yaml", port, 8192)) {
            assertEquals(REGRESSED_FAILS, failing(resultsOf(run(regressed, "a.json"), "a.json")));
        }
        // the first server's idle keep-alive connections in this JVM's shared pool are dead now (a new process has none)
        io.chatbotctl.core.HttpClients.shared().connectionPool().evictAll();
        try (Simulator good = sim("good-model.yaml", port, 4096)) {
            JsonNode r = resultsOf(run(good, "b.json"), "b.json");
            assertEquals(List.of(), failing(r), "same URL and model id, another max_model_len: the new server's answers");
            assertEquals(0, r.path("summary").path("cachedAnswers").asInt());

            JsonNode canary = resultsOf(run(good, "c.json", "-H", "X-Canary: always"), "c.json");
            assertEquals(0, canary.path("summary").path("cachedAnswers").asInt(), "the canary header is part of the key");
            assertEquals("always", canary.path("headers").path("X-Canary").asText());
            JsonNode canaryAgain = resultsOf(run(good, "d.json", "-H", "X-Canary: always"), "d.json");
            assertEquals(4, canaryAgain.path("summary").path("cachedAnswers").asInt(), "the canary's own answers are reused");

            JsonNode revision = resultsOf(run(good, "e.json", "--model-revision", "s3-version-2"), "e.json");
            assertEquals(0, revision.path("summary").path("cachedAnswers").asInt(), "--model-revision is part of the key");
            assertEquals("s3-version-2", revision.path("servedModel").path("revision").asText());
        }
    }

    private JsonNode resultsOf(CliRunner.Result result, String out) throws Exception {
        assertEquals(0, result.exitCode(), result.toString());
        return results(out);
    }

    @Test
    void withoutAHomeTheCacheIsOffAndSaysSo() throws Exception {
        try (Simulator good = sim("good-model.yaml", 0, 8192)) {
            Path out = dir.resolve("r.json");
            CliRunner.Result r = CliRunner.inRepository().run("eval", "run", "--endpoint", good.baseUrl(), "--dataset",
                    "evals/smoke.jsonl", "--out", out.toString());
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().contains("answers from the cache: 0 (cache off: neither XDG_CACHE_HOME nor HOME is set"), r.out());
            assertTrue(Json.mapper().readTree(out.toFile()).path("cache").path("dir").isMissingNode());

            Path xdg = dir.resolve("xdg");
            CliRunner.Result withXdg = CliRunner.inRepository().env("XDG_CACHE_HOME", xdg.toString()).run("eval", "run",
                    "--endpoint", good.baseUrl(), "--dataset", "evals/smoke.jsonl");
            assertEquals(0, withXdg.exitCode(), withXdg.toString());
            try (Stream<Path> files = Files.walk(xdg.resolve("chatbotctl/eval"))) {
                assertEquals(4, files.filter(Files::isRegularFile).count(), "four answers cached (the latency case never is)");
            }
        }
    }

    @Test
    void theKeyHoldsEndpointHeadersServedModelAndRevision() {
        JsonNode body = Json.mapper().createObjectNode().put("model", "m");
        long now = java.time.Instant.now().getEpochSecond();
        JsonNode card = Json.mapper().createObjectNode().put("id", "m").put("created", now).put("root", "/models/m")
                .put("max_model_len", 8192);
        ServedModel served = ServedModel.of(card, null, java.time.Instant.now());
        String key = ResponseCache.key("http://a/v1", java.util.Map.of(), served, body, 1);
        assertEquals(key, ResponseCache.key("http://a/v1", java.util.Map.of(), ServedModel.of(
                ((com.fasterxml.jackson.databind.node.ObjectNode) card.deepCopy()).put("created", now + 3), null,
                java.time.Instant.now()), body, 1), "vLLM's per-request created changes nothing");
        assertNotEquals(key, ResponseCache.key("http://b/v1", java.util.Map.of(), served, body, 1));
        assertNotEquals(key, ResponseCache.key("http://a/v1", java.util.Map.of("X-Canary", "always"), served, body, 1));
        assertNotEquals(key, ResponseCache.key("http://a/v1", java.util.Map.of(),
                ServedModel.of(((com.fasterxml.jackson.databind.node.ObjectNode) card.deepCopy()).put("root", "/models/m2"),
                        null, java.time.Instant.now()), body, 1));
        assertNotEquals(key, ResponseCache.key("http://a/v1", java.util.Map.of(), ServedModel.of(card, "rev2",
                java.time.Instant.now()), body, 1));
        assertNotEquals(key, ResponseCache.key("http://a/v1", java.util.Map.of(), served, body, 2));
        ServedModel openAi = ServedModel.of(Json.mapper().createObjectNode().put("id", "m").put("created", 1_700_000_000L),
                null, java.time.Instant.now());
        assertEquals(1_700_000_000L, openAi.created(), "a fixed creation date is kept");
        assertFalse(openAi.identity().isEmpty());
    }
}
