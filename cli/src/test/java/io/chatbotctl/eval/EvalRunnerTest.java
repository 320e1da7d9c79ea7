package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner against a scripted OpenAI-compatible server (MockWebServer) for what the simulator cannot be told to
 * do on cue: a given sequence of statuses, a 400, embeddings.
 */
class EvalRunnerTest {
    private MockWebServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws IOException {
        io.chatbotctl.core.HttpClients.shared().connectionPool().evictAll();
        server.shutdown();
    }

    private void serve(Function<RecordedRequest, MockResponse> chat) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                if (request.getPath().endsWith("/models")) {
                    return json("{\"object\":\"list\",\"data\":[{\"id\":\"support-model\",\"object\":\"model\"}]}");
                }
                if (request.getPath().endsWith("/embeddings")) {
                    return embeddings(request);
                }
                return chat.apply(request);
            }
        });
    }

    static MockResponse json(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    static MockResponse answer(String text) {
        String content = Json.mapper().createObjectNode().put("c", text).get("c").toString();
        return json("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"support-model\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":" + content + "},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":7,\"total_tokens\":17}}");
    }

    /** Bag-of-letters vectors: texts sharing letters are similar; enough to tell a paraphrase from another topic. */
    static MockResponse embeddings(RecordedRequest request) {
        try {
            JsonNode body = Json.mapper().readTree(request.getBody().readUtf8());
            StringBuilder data = new StringBuilder();
            int i = 0;
            for (JsonNode input : body.path("input")) {
                double[] v = new double[64];
                input.asText().toLowerCase().codePoints().forEach(cp -> v[Math.floorMod(cp, 64)]++);
                data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i++)
                        .append(",\"embedding\":").append(Json.mapper().writeValueAsString(v)).append('}');
            }
            return json("{\"object\":\"list\",\"data\":[" + data + "]}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path dataset(String... lines) throws IOException {
        Path file = dir.resolve("cases.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    static String line(String id, String input, String assertion) {
        return "{\"id\":\"" + id + "\",\"input\":\"" + input + "\",\"assert\":[" + assertion + "],\"metadata\":{\"category\":\"c\"}}";
    }

    private EvalSettings settings(Path dataset) {
        return EvalSettings.of(server.url("/v1").toString(), List.of(dataset))
                .withRun(2, 1, Duration.ofSeconds(5), 3, Duration.ofMillis(1));
    }

    @Test
    void retriesOn429And5xxAndCountsAttempts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        serve(r -> switch (calls.incrementAndGet()) {
            case 1 -> new MockResponse().setResponseCode(503).setBody("{\"error\":{\"message\":\"overloaded\"}}");
            case 2 -> new MockResponse().setResponseCode(429).setBody("{\"error\":{\"message\":\"slow down\"}}");
            default -> answer("환불은 7일 이내에 신청하실 수 있습니다.");
        });
        EvalResults results = new EvalRunner(Progress.NONE).run(settings(dataset(line("a", "환불", "{\"type\":\"contains\",\"value\":\"7일\"}"))));
        CaseResult c = results.cases().get(0);
        assertEquals("pass", c.status(), c.toString());
        assertEquals(3, c.attempts());
        assertEquals(0, results.summary().errors());
        JsonNode sent = Json.mapper().readTree(takeChat().getBody().readUtf8());
        assertEquals(0.0, sent.path("temperature").asDouble());
        assertEquals(42, sent.path("seed").asLong());
        assertEquals("support-model", sent.path("model").asText());
    }

    @Test
    void aRetryWaitsAsLongAsRetryAfterSays() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7")
                .setBody("{\"error\":{\"message\":\"slow down\"}}"));
        server.enqueue(json("{\"object\":\"list\",\"data\":[{\"id\":\"support-model\",\"object\":\"model\"}]}"));
        List<Duration> pauses = new java.util.ArrayList<>();
        io.chatbotctl.core.RetryPolicy policy = io.chatbotctl.core.RetryPolicy.of(4, Duration.ofMillis(1), Duration.ofSeconds(30), Duration.ofMinutes(2))
                .with(pauses::add, java.time.Clock.systemUTC());
        Retrier retrier = new Retrier(3, Duration.ofMillis(1), policy);
        io.chatbotctl.openai.OpenAiClient client = io.chatbotctl.openai.OpenAiClient.create(server.url("/v1").toString(), null);
        Retrier.Attempted<List<String>> attempted = retrier.attempt(client::models);
        assertEquals(2, attempted.attempts(), String.valueOf(attempted.failure()));
        assertEquals(List.of(Duration.ofSeconds(7)), pauses, "the 429's Retry-After, not the 1 ms backoff");
    }

    @Test
    void exhaustedRetriesAreInfrastructureErrorsAndA400IsNotRetried() throws Exception {
        serve(r -> r.getBody().readUtf8().contains("bad")
                ? new MockResponse().setResponseCode(400).setBody("{\"error\":{\"message\":\"bad request\"}}")
                : new MockResponse().setResponseCode(500).setBody("boom"));
        EvalResults results = new EvalRunner(Progress.NONE).run(settings(dataset(
                line("down", "q", "{\"type\":\"contains\",\"value\":\"x\"}"),
                line("bad", "bad", "{\"type\":\"contains\",\"value\":\"x\"}"))));
        CaseResult down = results.cases().get(0);
        CaseResult bad = results.cases().get(1);
        assertEquals("error", down.status());
        assertEquals(4, down.attempts(), "1 + 3 retries");
        assertTrue(down.error().contains("HTTP 500"), down.error());
        assertEquals("error", bad.status());
        assertEquals(1, bad.attempts());
        assertEquals(2, results.summary().errors());
        assertEquals(0, results.summary().failed());
        assertEquals(1.0, results.summary().infraErrorRate());
        assertEquals(null, results.summary().passRate());
    }

    @Test
    void runsCasesConcurrently() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        serve(r -> {
            both.countDown();
            try {
                return both.await(5, TimeUnit.SECONDS) ? answer("ok") : new MockResponse().setResponseCode(400);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        EvalResults results = new EvalRunner(Progress.NONE).run(settings(dataset(
                line("one", "q1", "{\"type\":\"equals\",\"value\":\"ok\"}"),
                line("two", "q2", "{\"type\":\"equals\",\"value\":\"ok\"}"))));
        assertEquals(2, results.summary().passed(), "both requests were in flight at once: " + results.cases());
    }

    @Test
    void similarUsesEmbeddings() throws Exception {
        serve(r -> answer("You can request a refund within 7 days of delivery."));
        EvalResults results = new EvalRunner(Progress.NONE).run(settings(dataset(
                line("close", "refund?", "{\"type\":\"similar\",\"value\":\"Refunds can be requested within 7 days after delivery.\",\"threshold\":0.8}"),
                line("far", "refund?", "{\"type\":\"similar\",\"value\":\"12345 67890\",\"threshold\":0.8}"),
                line("ko", "refund?", "{\"type\":\"not-similar\",\"value\":\"환불은 7일 이내에 신청하실 수 있습니다\"}"))));
        assertEquals("pass", results.cases().get(0).status(), results.cases().get(0).toString());
        assertEquals("fail", results.cases().get(1).status());
        assertTrue(results.cases().get(1).why().contains("cosine"), results.cases().get(1).why());
        assertEquals("pass", results.cases().get(2).status(), results.cases().get(2).toString());
    }

    @Test
    void similarFailsWhenTheEndpointHasNoEmbeddings() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getPath().endsWith("/models")) {
                    return json("{\"data\":[{\"id\":\"m\"}]}");
                }
                return request.getPath().endsWith("/embeddings") ? new MockResponse().setResponseCode(404).setBody("{\"detail\":\"Not Found\"}")
                        : answer("anything");
            }
        });
        EvalResults results = new EvalRunner(Progress.NONE).run(settings(dataset(
                line("s", "q", "{\"type\":\"not-similar\",\"value\":\"anything\"}"))));
        CaseResult c = results.cases().get(0);
        assertEquals("fail", c.status());
        assertTrue(c.why().contains("offers no /v1/embeddings"), c.why());
    }

    @Test
    void theFingerprintRecordsWhatTheResultsDependOn() throws Exception {
        serve(r -> answer("ok"));
        Path data = dataset(line("a", "q", "{\"type\":\"equals\",\"value\":\"ok\"}"));
        EvalResults plain = new EvalRunner(Progress.NONE).run(settings(data));
        EvalResults prompted = new EvalRunner(Progress.NONE).run(settings(data).withSystemPrompt("You are a support bot."));
        Fingerprint f = plain.fingerprint();
        assertEquals("support-model", f.modelId());
        assertEquals("none", f.systemPromptSha256());
        assertEquals(42L, ((Number) f.params().get("seed")).longValue());
        assertEquals(1, ((Number) f.params().get("repeat")).intValue());
        assertNotEquals(f.systemPromptSha256(), prompted.fingerprint().systemPromptSha256());
        assertEquals(List.of("systemPromptSha256 (none vs " + prompted.fingerprint().systemPromptSha256().substring(0, 12) + ")"),
                f.differences(prompted.fingerprint()));
        assertTrue(f.chatbotctlVersion().length() > 0);
        assertEquals("system", Json.mapper().readTree(lastChat()).path("messages").get(0).path("role").asText());
    }

    @Test
    void repeatAsksEachCaseNTimes() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        serve(r -> answer(calls.incrementAndGet() % 2 == 0 ? "ok" : "no"));
        EvalResults results = new EvalRunner(Progress.NONE).run(settings(dataset(line("a", "q", "{\"type\":\"equals\",\"value\":\"ok\"}")))
                .withRun(1, 4, Duration.ofSeconds(5), 0, Duration.ofMillis(1)));
        assertEquals(4, results.cases().size());
        assertEquals(List.of(1, 2, 3, 4), results.cases().stream().map(CaseResult::repeat).toList());
        assertEquals(2, results.summary().passed());
        assertFalse(Gate.outcomes(results).get("a"), "a case passes only when every repetition passes");
    }

    @Test
    void cliErrorsAreOneLineWithTheRightExitCode() throws IOException {
        CliRunner.Result unreachable = new CliRunner().workingDir(dir).run("eval", "run", "--endpoint", "http://127.0.0.1:9",
                "--dataset", dataset(line("a", "q", "{\"type\":\"equals\",\"value\":\"ok\"}")).toString(), "--retries", "0");
        assertEquals(4, unreachable.exitCode(), unreachable.toString());
        assertTrue(unreachable.err().startsWith("chatbotctl: error: cannot reach http://127.0.0.1:9/v1"), unreachable.err());

        Files.writeString(dir.resolve("broken.jsonl"), "{\"id\":\"a\"\n");
        CliRunner.Result broken = new CliRunner().workingDir(dir).run("eval", "run", "--endpoint", "http://127.0.0.1:9",
                "--dataset", "broken.jsonl");
        assertEquals(3, broken.exitCode(), broken.toString());
        assertTrue(broken.err().contains("broken.jsonl:1: not valid JSON"), broken.err());

        CliRunner.Result missing = new CliRunner().workingDir(dir).run("eval", "gate", "nope.json", "--thresholds", "t.yaml");
        assertEquals(3, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("no such results file"), missing.err());
        assertFalse(missing.err().contains("Exception"), missing.err());

        serve(r -> new MockResponse().setResponseCode(503).setBody("{\"error\":{\"message\":\"no capacity\"}}"));
        Path out = dir.resolve("all-errors.json");
        CliRunner.Result allErrors = new CliRunner().workingDir(dir).run("eval", "run", "--endpoint", server.url("/v1").toString(),
                "--dataset", "cases.jsonl", "--retries", "1", "--retry-backoff", "1ms", "--out", out.toString());
        assertEquals(4, allErrors.exitCode(), allErrors.toString());
        assertTrue(allErrors.err().contains("every request failed") && allErrors.err().contains("no capacity"), allErrors.err());
        assertEquals(1, EvalResults.read(out).summary().errors(), "the results are written all the same");

        Files.writeString(dir.resolve("partial.json"), "{\"schema\":\"chatbotctl.eval.results/v1\",\"cases\":[{\"id\":\"a\"}]}");
        CliRunner.Result partial = new CliRunner().workingDir(dir).run("eval", "gate", "partial.json", "--thresholds", "t.yaml");
        assertEquals(3, partial.exitCode(), partial.toString());
        assertTrue(partial.err().contains("partial.json is incomplete eval results"), partial.err());

        CliRunner.Result usage = new CliRunner().workingDir(dir).run("eval", "run", "--concurrency", "many");
        assertEquals(2, usage.exitCode(), usage.toString());
    }

    @Test
    void outOfRangeRequestSettingsAreRefusedBeforeAnyRequest() {
        for (String[] flag : new String[][] {{"--max-tokens", "0"}, {"--timeout", "0s"}}) {
            CliRunner.Result r = CliRunner.inRepository().run("eval", "run", "--endpoint", "http://127.0.0.1:1/v1",
                    "--dataset", "evals/smoke.jsonl", "--no-cache", flag[0], flag[1]);
            assertEquals(3, r.exitCode(), r.toString());
            assertTrue(r.err().startsWith("chatbotctl: error: " + flag[0] + " must be "), r.toString());
        }
    }

    private RecordedRequest takeChat() throws InterruptedException {
        RecordedRequest r;
        while ((r = server.takeRequest(5, TimeUnit.SECONDS)) != null) {
            if (r.getPath().endsWith("/chat/completions")) {
                return r;
            }
        }
        throw new AssertionError("no chat request");
    }

    private String lastChat() throws InterruptedException {
        String last = null;
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (r.getPath().endsWith("/chat/completions")) {
                last = r.getBody().readUtf8();
            }
        }
        return last;
    }
}
