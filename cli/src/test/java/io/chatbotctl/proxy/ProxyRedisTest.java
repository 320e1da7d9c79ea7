package io.chatbotctl.proxy;

import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.Poll;
import io.chatbotctl.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits shared by two proxy replicas through the real Redis — requests, tokens and concurrency — and what happens
 * when Redis goes away.
 */
class ProxyRedisTest {
    private final ProxyFixture fx = new ProxyFixture();

    @Test
    void twoReplicasTogetherAdmitOneKeysLimitAndFailOpenWhenRedisGoesAway(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.yaml");
        String key = Keys.create(keys, "shared", 6, 0, 0).key();
        try (RedisServer redis = RedisServer.start();
             Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).build())) {
            ProxyOptions o = sharedOpen(sim, keys, redis);
            try (ProxyServer a = fx.start(o); ProxyServer b = fx.start(o)) {
                awayFromAMinuteBoundary();
                int admitted = 0;
                int limited = 0;
                for (int i = 0; i < 10; i++) {
                    ProxyServer p = i % 2 == 0 ? a : b;
                    String id = ProxyFixture.newId();
                    HttpResponse<String> r = ProxyFixture.post(p.baseUrl() + "/chat/completions", key, id,
                            ProxyFixture.chat("hi " + i, false));
                    if (r.statusCode() == 200) {
                        admitted++;
                    } else {
                        fx.assertError(r, id, 429, "rate_limit_exceeded");
                        limited++;
                    }
                }
                // a minute boundary may fall inside the loop and give a fresh window: never more than twice the limit
                assertEquals(6, admitted, "a limit of 6 requests per minute across two replicas");
                assertEquals(4, limited);

                redis.stop();
                String id = ProxyFixture.newId();
                HttpResponse<String> open = ProxyFixture.post(a.baseUrl() + "/chat/completions", key, id,
                        ProxyFixture.chat("redis is gone", false));
                assertEquals(200, open.statusCode(), "fail open: this replica's own counters decide: " + open.body());
                assertEquals(200, fx.logLine(id).path("status").asInt());
                assertTrue(ProxyFixture.get(a.metricsUrl()).body().matches("(?s).*chatbotctl_proxy_redis_errors_total [1-9].*"));
                assertTrue(fx.warnings.stream().anyMatch(w -> w.contains("Redis does not answer")), fx.warnings.toString());

                redis.restart();
                Poll.until(() -> {
                    ProxyFixture.post(b.baseUrl() + "/chat/completions", key, ProxyFixture.newId(), ProxyFixture.chat("back?", false));
                    return fx.warnings.stream().anyMatch(w -> w.contains("Redis answers again"));
                });
            }
        }
    }

    /**
     * Tokens per minute across two replicas: each request is admitted while the tokens counted in the minute plus its
     * estimate fit the key's limit, and counted with the upstream's real {@code usage} once it ends, on whichever
     * replica the next request lands. The simulator's counts are deterministic, so the admissions are exact.
     */
    @Test
    void twoReplicasTogetherAdmitOneKeysTokensAgainstTheEstimateAndSettleWithUsage(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.yaml");
        int tpm = 100;
        String key = Keys.create(keys, "tokens", 0, tpm, 0).key();
        // the proxy's estimate of chat("hi N"): 4 for the message + "hi N" at 4 characters a token + max_tokens 12
        int estimate = TokenEstimate.PER_MESSAGE + TokenEstimate.of("hi 0") + 12;
        assertEquals(17, estimate);
        // the simulator's usage: 12 prompt tokens (Llama 3's template, 10, around "hi", " 0") and exactly max_tokens
        int actual = 12 + 12;
        try (RedisServer redis = RedisServer.start();
             Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).build())) {
            ProxyOptions o = sharedOpen(sim, keys, redis);
            try (ProxyServer a = fx.start(o); ProxyServer b = fx.start(o)) {
                awayFromAMinuteBoundary();
                String counted = "chatbotctl:proxy:{tokens}:t:" + System.currentTimeMillis() / 60_000;
                List<Integer> statuses = new ArrayList<>();
                long settled = 0;
                for (int i = 0; i < 6; i++) {
                    ProxyServer p = i % 2 == 0 ? a : b;
                    boolean stream = i % 2 == 1; // streams' usage is asked for upstream and stripped again
                    String id = ProxyFixture.newId();
                    HttpResponse<String> r = ProxyFixture.post(p.baseUrl() + "/chat/completions", key, id,
                            ProxyFixture.chat("hi " + i, stream));
                    statuses.add(r.statusCode());
                    assertEquals(Integer.toString(tpm), r.headers().firstValue("x-ratelimit-limit-tokens").orElse(null));
                    if (r.statusCode() == 200) {
                        assertFalse(stream && r.body().contains("\"usage\""), "the client did not ask for usage: " + r.body());
                        JsonNode line = fx.logLine(id);
                        assertEquals(12, line.path("promptTokens").asInt(), line.toString());
                        assertEquals(12, line.path("completionTokens").asInt(), line.toString());
                        // counted at admission: what the earlier requests really used, plus this one's estimate
                        assertEquals(Long.toString(tpm - (settled + estimate)),
                                r.headers().firstValue("x-ratelimit-remaining-tokens").orElse(null));
                        settled += actual;
                        long expected = settled;
                        // settlement is asynchronous: wait until Redis holds the real count before the next request
                        Poll.until(() -> Long.toString(expected).equals(redis.command("GET", counted)));
                    } else {
                        JsonNode line = fx.assertError(r, id, 429, "rate_limit_exceeded");
                        assertEquals("tokens", line.path("limit").asText());
                        assertEquals("tokens", Json.mapper().readTree(r.body()).path("error").path("type").asText());
                        assertEquals(Long.toString(tpm - settled),
                                r.headers().firstValue("x-ratelimit-remaining-tokens").orElse(null));
                        assertTrue(Integer.parseInt(r.headers().firstValue("retry-after").orElseThrow()) >= 1);
                        assertTrue(r.headers().firstValue("x-ratelimit-reset-tokens").isPresent());
                    }
                }
                // admitted while settled + 17 <= 100: at 17, 41, 65 and 89; the fifth would reach 96 + 17 = 113.
                // Counting estimates only would admit five (85); each replica counting alone, all six.
                assertEquals(List.of(200, 200, 200, 200, 429, 429), statuses);
                assertEquals(96, settled);
                assertTrue(settled <= tpm);
                assertEquals("96", redis.command("GET", counted), "refused requests count nothing");
            }
        }
    }

    /**
     * Concurrency across two replicas with streams that last: never more running at once than the key allows, the
     * rest refused with 429; a slot comes back when a client goes away mid-stream and when a stream ends.
     */
    @Test
    void twoReplicasTogetherRunAtMostOneKeysConcurrencyAndFreeSlotsWhenStreamsEndOrClientsLeave(@TempDir Path dir)
            throws Exception {
        Path keys = dir.resolve("keys.yaml");
        String key = Keys.create(keys, "chat", 1000, 1_000_000, 3).key();
        int tokens = 300;
        String longStream = ProxyFixture.chat("tell me a long story", true)
                .replace("\"max_tokens\":12", "\"max_tokens\":" + tokens);
        try (RedisServer redis = RedisServer.start();
             Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0)
                     .itl(Duration.ofMillis(20)).build())) { // 300 tokens: 6 s a stream
            ProxyOptions o = sharedOpen(sim, keys, redis);
            try (ProxyServer a = fx.start(o); ProxyServer b = fx.start(o)) {
                List<RawExchange> running = new ArrayList<>();
                List<RawExchange> refused = new ArrayList<>();
                admitted(open(a, b, key, longStream, 6), running, refused);
                assertEquals(3, running.size(), "a limit of 3 at once across two replicas");
                assertEquals(3, refused.size());
                for (RawExchange r : refused) {
                    assertConcurrencyRefusal(r);
                }

                // a client goes away mid-stream: its slot comes back while the two others still stream
                RawExchange gone = running.remove(0);
                gone.readUntil("\"content\":\"");
                gone.close();
                Poll.until(() -> ProxyFixture.post(b.baseUrl() + "/chat/completions", key, ProxyFixture.newId(),
                        ProxyFixture.chat("my turn?", false)).statusCode() == 200);
                assertTrue(sim.requestLog().stream().noneMatch(r -> r.outputTokens() == tokens),
                        "freed by the client that left, not by a stream that ended: " + sim.requestLog());
                awaitRunning(redis, "chat", 2); // the short request's settlement, sent as it ended
                // exactly one slot came back
                admitted(open(a, b, key, longStream, 2), running, refused);
                assertEquals(3, running.size());
                assertEquals(4, refused.size());
                assertConcurrencyRefusal(refused.get(3));

                // every stream ends: all three slots come back
                for (RawExchange r : running) {
                    assertTrue(r.readUntil("data: [DONE]").contains("\"finish_reason\":\"length\""));
                }
                running.clear();
                awaitRunning(redis, "chat", 0);
                List<RawExchange> again = open(a, b, key, longStream, 4);
                List<RawExchange> fourth = new ArrayList<>();
                admitted(again, running, fourth);
                assertEquals(3, running.size(), "the ended streams' slots are free again");
                assertEquals(1, fourth.size());
                assertConcurrencyRefusal(fourth.get(0));
                for (RawExchange r : again) {
                    r.close();
                }
                for (RawExchange r : refused) {
                    r.close();
                }
            }
        }
    }

    /** Client-chosen request ids are not unique: requests sharing one must still take a slot each. */
    @Test
    void requestsThatShareARequestIdTakeOneConcurrencySlotEach(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.yaml");
        String key = Keys.create(keys, "same-id", 0, 0, 2).key();
        String longStream = ProxyFixture.chat("tell me a long story", true).replace("\"max_tokens\":12", "\"max_tokens\":300");
        try (RedisServer redis = RedisServer.start();
             Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0)
                     .itl(Duration.ofMillis(20)).build())) {
            ProxyOptions o = sharedOpen(sim, keys, redis);
            try (ProxyServer a = fx.start(o); ProxyServer b = fx.start(o)) {
                List<RawExchange> all = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    all.add(RawExchange.send((i % 2 == 0 ? a : b).port(), key, "retry-of-one-question", longStream));
                }
                List<RawExchange> running = new ArrayList<>();
                List<RawExchange> refused = new ArrayList<>();
                admitted(all, running, refused);
                assertEquals(2, running.size(), "a limit of 2 at once, whatever the request ids");
                assertEquals(2, refused.size());
                // one of the two ends: one slot comes back, not both
                running.get(0).close();
                Poll.until(() -> ProxyFixture.post(a.baseUrl() + "/chat/completions", key, "retry-of-one-question",
                        ProxyFixture.chat("again", false)).statusCode() == 200);
                awaitRunning(redis, "same-id", 1);
                RawExchange third = RawExchange.send(b.port(), key, "retry-of-one-question", longStream).head();
                RawExchange fourth = RawExchange.send(a.port(), key, "retry-of-one-question", longStream).head();
                assertEquals(200, third.status);
                assertEquals(429, fourth.status);
                for (RawExchange r : List.of(running.get(1), third, fourth, refused.get(0), refused.get(1))) {
                    r.close();
                }
            }
        }
    }

    /** Replicas in front of {@code sim} sharing their limits through {@code redis}, failing open. */
    private static ProxyOptions sharedOpen(Simulator sim, Path keys, RedisServer redis) {
        return ProxyFixture.with(ProxyFixture.options("http://" + sim.target(), keys), redis.url(),
                ProxyOptions.RedisFailure.OPEN);
    }

    /**
     * Waits until Redis counts {@code n} running requests of {@code key}: a request's slot is given back when its
     * answer has ended, just after the client has it, so a test that sends the next request at once could race it.
     */
    private static void awaitRunning(RedisServer redis, String key, int n) throws Exception {
        Poll.until(() -> Integer.toString(n).equals(redis.command("ZCARD", "chatbotctl:proxy:{" + key + "}:inflight")));
    }

    /** Sends {@code n} requests, alternately to each replica, before reading any answer. */
    private static List<RawExchange> open(ProxyServer a, ProxyServer b, String key, String body, int n) throws Exception {
        List<RawExchange> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(RawExchange.send((i % 2 == 0 ? a : b).port(), key, ProxyFixture.newId(), body));
        }
        return out;
    }

    private static void admitted(List<RawExchange> sent, List<RawExchange> running, List<RawExchange> refused)
            throws Exception {
        for (RawExchange x : sent) {
            x.head();
            if (x.status == 200) {
                running.add(x);
            } else {
                refused.add(x);
            }
        }
    }

    private static void assertConcurrencyRefusal(RawExchange r) throws Exception {
        assertEquals(429, r.status);
        JsonNode error = Json.mapper().readTree(r.readUntil("}}")).path("error");
        assertEquals("rate_limit_exceeded", error.path("code").asText());
        assertEquals("concurrency", error.path("type").asText());
        assertEquals("1", r.header("retry-after"));
        assertEquals("1000", r.header("x-ratelimit-limit-requests"));
        assertEquals("1000000", r.header("x-ratelimit-limit-tokens"));
        assertTrue(r.header("x-ratelimit-remaining-requests") != null && r.header("x-ratelimit-reset-requests") != null
                && r.header("x-ratelimit-remaining-tokens") != null && r.header("x-ratelimit-reset-tokens") != null,
                r.headers.toString());
    }

    @Test
    void failClosedAnswers503WhileRedisIsAway(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.yaml");
        String key = Keys.create(keys, "strict", 100, 0, 0).key();
        try (RedisServer redis = RedisServer.start();
             Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).build())) {
            ProxyOptions o = ProxyFixture.with(ProxyFixture.options("http://" + sim.target(), keys), redis.url(),
                    ProxyOptions.RedisFailure.CLOSED);
            try (ProxyServer p = fx.start(o)) {
                String url = p.baseUrl() + "/chat/completions";
                assertEquals(200, ProxyFixture.post(url, key, ProxyFixture.newId(), ProxyFixture.chat("a", false)).statusCode());
                redis.stop();
                String id = ProxyFixture.newId();
                HttpResponse<String> r = ProxyFixture.post(url, key, id, ProxyFixture.chat("b", false));
                fx.assertError(r, id, 503, "rate_limiter_unavailable");
                assertEquals("1", r.headers().firstValue("retry-after").orElseThrow());
                redis.restart();
                Poll.until(() -> ProxyFixture.post(url, key, ProxyFixture.newId(), ProxyFixture.chat("c", false))
                        .statusCode() == 200);
            }
        }
    }

    @Test
    void unreachableRedisAtStartFailsOpenOnLocalCounters(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.yaml");
        String key = Keys.create(keys, "early", 1, 0, 0).key();
        try (Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).build())) {
            ProxyOptions o = ProxyFixture.with(ProxyFixture.options("http://" + sim.target(), keys),
                    "redis://127.0.0.1:" + io.chatbotctl.testing.FreePorts.next(), ProxyOptions.RedisFailure.OPEN);
            try (ProxyServer p = fx.start(o)) {
                String url = p.baseUrl() + "/chat/completions";
                assertEquals(200, ProxyFixture.post(url, key, ProxyFixture.newId(), ProxyFixture.chat("a", false)).statusCode());
                String id = ProxyFixture.newId();
                fx.assertError(ProxyFixture.post(url, key, id, ProxyFixture.chat("b", false)), id, 429, "rate_limit_exceeded");
                assertTrue(fx.warnings.stream().anyMatch(w -> w.contains("unreachable")), fx.warnings.toString());
            }
        }
    }

    /** The limits count in whole minutes: keep the ten requests inside one. */
    private static void awayFromAMinuteBoundary() throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 45_000) {
            Thread.sleep(60_000 - intoMinute + 100);
        }
    }
}
