package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.manifest.AdapterRules;
import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.RenderOptions;
import io.chatbotctl.manifest.RenderedManifests;
import io.chatbotctl.prometheus.PrometheusClient;
import io.chatbotctl.prometheus.Sample;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.prometheus.LocalPrometheus;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The autoscaling chain end to end: a real Prometheus scrapes two simulated vLLM pods of the production overlay under
 * queueing load, and the exact query prometheus-adapter runs for the HPA's metric (from the rule in the adapter's
 * Helm values) gives each pod's waiting requests; their average — what the HPA compares with its target — stays
 * below the target while each pod queues fewer requests than it, and crosses it once they queue more.
 */
class AutoscalingQueryTest {
    private static final int SLOTS = 2;
    private static final String NAMESPACE = "ai-serving";
    private static final List<String> PODS = List.of("vllm-chatbot-7d9f-a", "vllm-chatbot-7d9f-b");

    @Test
    void waitingRequestsPerPodCrossTheHpaTargetWhenTheQueueDoes() throws Exception {
        RenderedManifests production = ManifestRenderer.render(Repository.file("manifests/overlays/production"), RenderOptions.none());
        ObjectNode hpa = production.find("HorizontalPodAutoscaler", "vllm-chatbot-hpa").orElseThrow();
        JsonNode metric = hpa.path("spec").path("metrics").get(0);
        assertEquals("Pods", metric.path("type").asText());
        double target = Double.parseDouble(metric.path("pods").path("target").path("averageValue").asText());
        AdapterRules.Rule rule = AdapterRules.find(Repository.file("manifests/overlays/production")).orElseThrow()
                .exposing(metric.path("pods").path("metric").path("name").asText()).orElseThrow();
        String query = rule.query(NAMESPACE, PODS);
        assertEquals("sum(vllm:num_requests_waiting{namespace=\"ai-serving\",pod=~\"" + String.join("|", PODS)
                + "\"}) by (pod)", query);

        List<Simulator> sims = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<Void>>> inFlight = new ArrayList<>();
        try {
            List<LocalPrometheus.Target> targets = new ArrayList<>();
            for (String pod : PODS) {
                Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).maxNumSeqs(SLOTS)
                        .itl(Duration.ofMillis(60)).itlJitter(0).prefillPer1kTokens(Duration.ZERO)
                        .kvCapacityTokens(1_000_000).build());
                sims.add(sim);
                targets.add(new LocalPrometheus.Target(sim.target(),
                        Map.of("namespace", NAMESPACE, "pod", pod, "track", "stable")));
            }
            try (LocalPrometheus prom = LocalPrometheus.start(targets)) {
                prom.awaitTargetsUp(Duration.ofSeconds(30));
                PrometheusClient prometheus = new PrometheusClient(prom.url(), Duration.ofSeconds(5));
                assertEquals(0.0, average(prometheus, query), "no load, no queue");

                // below: each pod runs SLOTS requests and queues target - 2 (3 when the target is 5)
                int below = (int) target - 2;
                load(client, sims, SLOTS + below, inFlight);
                double seen = awaitAverage(prometheus, query, v -> v >= below);
                assertEquals(below, seen, "each pod's queue as the adapter reports it");
                assertTrue(seen < target, "the HPA stays put at " + seen + " waiting per pod (target " + target + ")");
                assertEquals(PODS.size(), desiredReplicas(PODS.size(), seen, target));

                // above: each pod queues target + 5 more requests than it runs
                load(client, sims, (int) target + 5 - below, inFlight);
                double crossed = awaitAverage(prometheus, query, v -> v > target);
                assertTrue(crossed >= target + 1, "waiting per pod " + crossed + " crossed the target " + target);
                assertTrue(desiredReplicas(PODS.size(), crossed, target) > PODS.size(),
                        "the HPA would scale up from " + PODS.size() + " pods at " + crossed + " waiting per pod");
            }
        } finally {
            inFlight.forEach(f -> f.cancel(true));
            sims.forEach(Simulator::close);
        }
    }

    /** The first average that satisfies {@code until}, polled as Prometheus scrapes (every second); fails after 30 s. */
    private static double awaitAverage(PrometheusClient prometheus, String query,
                                       java.util.function.DoublePredicate until) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            last = average(prometheus, query);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the adapter's query never got there; last average " + last);
    }

    /** The HPA's rule for an AverageValue Pods metric: ceil(pods * average / target). */
    private static int desiredReplicas(int pods, double average, double target) {
        return (int) Math.ceil(pods * average / target);
    }

    /** What the HPA computes from the adapter's answer: the mean over the pods it asked for. */
    private static double average(PrometheusClient prometheus, String query) {
        List<Sample> perPod = prometheus.query(query, Instant.now());
        assertEquals(PODS.size(), perPod.size(), "one value per pod: " + perPod);
        return perPod.stream().mapToDouble(Sample::value).sum() / PODS.size();
    }

    /** {@code perPod} more long requests (18 s each) to every simulator, left running. */
    private static void load(HttpClient client, List<Simulator> sims, int perPod,
                             List<CompletableFuture<HttpResponse<Void>>> inFlight) {
        for (Simulator sim : sims) {
            for (int i = 0; i < perPod; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"wait\",\"max_tokens\":300}")).build();
                inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
            }
        }
    }
}
