package io.chatbotctl.doctor;

import com.sun.net.httpserver.HttpServer;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.kube.KubeTarget;
import io.chatbotctl.prometheus.LocalPrometheus;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.KubeMockCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.chatbotctl.doctor.DoctorFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metrics against Debian's real Prometheus scraping the simulator (the pinned catalog's series), a DCGM exporter's
 * text and a target that is down; each namespace of the test is one situation.
 */
class MetricsChecksTest {
    @TempDir
    Path dir;

    @Test
    void prometheusTargetsCatalogAndDcgmAsPrometheusSeesThem() throws Exception {
        AtomicReference<String> dcgmText = new AtomicReference<>("");
        HttpServer dcgm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dcgm.createContext("/metrics", exchange -> {
            byte[] body = dcgmText.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        dcgm.start();
        String dcgmTarget = "127.0.0.1:" + dcgm.getAddress().getPort();
        try (DoctorFixture fx = new DoctorFixture(dir);
             Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).build());
             LocalPrometheus prom = LocalPrometheus.start(List.of(
                     new LocalPrometheus.Target(sim.target(), Map.of("track", "stable", "namespace", "ai-serving", "pod", "vllm-chatbot-a")),
                     new LocalPrometheus.Target(dcgmTarget, Map.of("namespace", "gpu-operator")),
                     new LocalPrometheus.Target(dcgmTarget, Map.of("track", "stable", "namespace", "no-vllm", "pod", "other-a")),
                     new LocalPrometheus.Target("127.0.0.1:" + FreePorts.next(), Map.of("track", "canary", "namespace", "down-ns", "pod", "vllm-chatbot-c"))))) {
            prom.await("up{namespace=\"ai-serving\"}", 1, Duration.ofSeconds(30));
            prom.await("up{namespace=\"no-vllm\"}", 1, Duration.ofSeconds(30));
            prom.await("count(up{namespace=\"down-ns\"} == 0)", 1, Duration.ofSeconds(30));
            readyPod(fx, "vllm-chatbot-a");

            List<CheckResult> r = run(fx, "ai-serving", prom.url());
            assertEquals(Status.OK, one(r, "prometheus").status(), r.toString());
            assertEquals(Status.OK, one(r, "scrape-targets").status(), r.toString());
            assertTrue(one(r, "scrape-targets").evidence().contains("vllm-chatbot-a (track stable)"), r.toString());
            assertEquals(Status.OK, one(r, "catalog-series").status(), r.toString());
            assertTrue(one(r, "catalog-series").evidence().contains("vLLM 0.12.0 catalog"), r.toString());
            assertEquals(Status.WARN, one(r, "dcgm-series").status(), "no DCGM series yet: " + r);

            dcgmText.set(DoctorFixture.resource("dcgm-metrics.txt"));
            prom.await("DCGM_FI_DEV_GPU_UTIL", 2, Duration.ofSeconds(30)); // both targets scraped since the text changed
            readyPod(fx, "vllm-chatbot-b");
            r = run(fx, "ai-serving", prom.url());
            assertEquals(Status.OK, one(r, "dcgm-series").status(), r.toString());
            assertTrue(one(r, "dcgm-series").evidence().contains("for 2 GPU(s)"), "two targets scrape it: " + r);
            assertEquals(Status.WARN, one(r, "scrape-targets").status(), "pod b has no target: " + r);
            assertTrue(one(r, "scrape-targets").evidence().contains("Ready pods without a target: vllm-chatbot-b"), r.toString());

            CheckResult noVllm = one(run(fx, "no-vllm", prom.url()), "catalog-series");
            assertEquals(Status.FAIL, noVllm.status(), noVllm.toString());
            assertTrue(noVllm.fix().contains("serve vLLM's /metrics"), noVllm.fix());

            CheckResult down = one(run(fx, "down-ns", prom.url()), "scrape-targets");
            assertEquals(Status.FAIL, down.status());
            assertTrue(down.evidence().contains("1 of 1 targets down: vllm-chatbot-c (track canary)"), down.evidence());

            CheckResult none = one(run(fx, "elsewhere", prom.url()), "scrape-targets");
            assertEquals(Status.FAIL, none.status());
            assertTrue(none.evidence().startsWith("no target up{namespace=\"elsewhere\",track!=\"\"}"), none.evidence());
        } finally {
            dcgm.stop(0);
        }
    }

    @Test
    void withoutPrometheusItWarnsAndAnUnreachableOneFails() throws Exception {
        try (DoctorFixture fx = new DoctorFixture(dir)) {
            List<CheckResult> none = run(fx, "ai-serving", null);
            assertEquals(1, none.size());
            assertEquals(Status.WARN, none.get(0).status());
            assertTrue(none.get(0).fix().contains("--prometheus"), none.get(0).fix());

            List<CheckResult> closed = run(fx, "ai-serving", "http://127.0.0.1:" + FreePorts.next());
            assertEquals(Status.FAIL, one(closed, "prometheus").status(), closed.toString());
        }
    }

    private static void readyPod(DoctorFixture fx, String name) {
        fx.cluster.client().pods().inNamespace("ai-serving").resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("app.kubernetes.io/name", "vllm-chatbot").endMetadata().withNewSpec().addNewContainer()
                .withName("vllm").withImage("vllm").endContainer().endSpec().withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        var pod = fx.cluster.client().pods().inNamespace("ai-serving").withName(name).get();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        fx.cluster.client().resource(pod).inNamespace("ai-serving").updateStatus();
    }

    private static List<CheckResult> run(DoctorFixture fx, String namespace, String prometheus) {
        DoctorRequest base = fx.request(null);
        DoctorRequest request = new DoctorRequest("test", new KubeTarget(KubeMockCluster.CONTEXT, namespace,
                Map.of("KUBECONFIG", fx.cluster.kubeconfig().toString())), base.names(), null, prometheus, null, null,
                base.model(), null, base.s3(), null, Duration.ofSeconds(5));
        try (KubeConnection kube = KubeConnection.open(request.kube())) {
            return new MetricsChecks(new DoctorContext(kube, request, null)).run();
        }
    }
}
