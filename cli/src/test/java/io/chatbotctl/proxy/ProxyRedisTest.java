package io.chatbotctl.proxy;

import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.Poll;
import io.chatbotctl.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits shared by two proxy replicas through the real Redis, and what happens when Redis goes away. */
class ProxyRedisTest {
    private final ProxyFixture fx = new ProxyFixture();

    @Test
    void twoReplicasTogetherAdmitOneKeysLimitAndFailOpenWhenRedisGoesAway(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.yaml");
        String key = Keys.create(keys, "shared", 6, 0, 0).key();
        try (RedisServer redis = RedisServer.start();
             Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).build())) {
            ProxyOptions o = ProxyFixture.with(ProxyFixture.options("http://" + sim.target(), keys), redis.url(),
                    ProxyOptions.RedisFailure.OPEN);
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
