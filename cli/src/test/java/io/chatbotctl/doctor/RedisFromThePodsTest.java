package io.chatbotctl.doctor;

import com.sun.net.httpserver.HttpServer;
import io.chatbotctl.kube.Access;
import io.chatbotctl.prometheus.LocalPrometheus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.chatbotctl.doctor.DoctorFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Through the API server (a hosted runner), production's ElastiCache is out of reach by design: the redis check then
 * reports what the proxy pods counted (chatbotctl_proxy_redis_errors_total, scraped by a real Prometheus).
 */
class RedisFromThePodsTest {
    @TempDir
    Path dir;

    @Test
    void unreachableFromHereIsJudgedByWhatThePodsCounted() throws Exception {
        AtomicLong errors = new AtomicLong();
        AtomicLong step = new AtomicLong();
        HttpServer pods = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pods.createContext("/metrics", exchange -> {
            byte[] body = ("# TYPE chatbotctl_proxy_redis_errors_total counter\nchatbotctl_proxy_redis_errors_total "
                    + errors.addAndGet(step.get()) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pods.start();
        try (DoctorFixture fx = new DoctorFixture(dir);
             LocalPrometheus prom = LocalPrometheus.start(List.of(new LocalPrometheus.Target(
                     "127.0.0.1:" + pods.getAddress().getPort(), Map.of("namespace", "ai-serving", "track", "stable"))))) {
            DoctorRequest base = fx.request("production");
            CheckResult direct = one(new ModelProxyChecks(fx.context(base)).run(), "redis");
            assertEquals(Status.FAIL, direct.status(), "direct access: an unanswered PING fails: " + direct);

            CheckResult noPrometheus = one(new ModelProxyChecks(fx.context(through(base, null))).run(), "redis");
            assertEquals(Status.WARN, noPrometheus.status(), noPrometheus.toString());
            assertTrue(noPrometheus.evidence().contains("through the API server only"), noPrometheus.evidence());

            prom.await("count(count_over_time(chatbotctl_proxy_redis_errors_total[10m]) >= 2)", 1, Duration.ofSeconds(30));
            CheckResult quiet = one(new ModelProxyChecks(fx.context(through(base, prom.url()))).run(), "redis");
            assertEquals(Status.WARN, quiet.status(), quiet.toString());
            assertTrue(quiet.evidence().contains("counted no unanswered Redis calls"), quiet.evidence());

            step.set(5);
            prom.await("sum(increase(chatbotctl_proxy_redis_errors_total[10m])) >= 1", 1, Duration.ofSeconds(30));
            CheckResult failing = one(new ModelProxyChecks(fx.context(through(base, prom.url()))).run(), "redis");
            assertEquals(Status.FAIL, failing.status(), failing.toString());
            assertTrue(failing.evidence().contains("unanswered Redis calls in the last 10 minutes"), failing.evidence());
        } finally {
            pods.stop(0);
        }
    }

    private static DoctorRequest through(DoctorRequest base, String prometheus) {
        return new DoctorRequest(base.environment(), base.kube(), base.names(), base.overlay(), prometheus, null, null,
                base.model(), null, base.s3(), null, base.timeout(), Access.API_SERVER);
    }
}
