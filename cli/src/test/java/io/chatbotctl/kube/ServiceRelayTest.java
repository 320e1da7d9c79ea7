package io.chatbotctl.kube;

import com.sun.net.httpserver.HttpServer;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.prometheus.LocalPrometheus;
import io.chatbotctl.prometheus.PrometheusClient;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.KubeMockCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay against the mock API server's service proxy, a real simulator and a real Prometheus. */
class ServiceRelayTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String CHAT = "{\"model\":\"llama-3.1-8b-instruct\",\"stream\":true,\"max_tokens\":12,"
            + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"환불 규정을 알려주세요\"}]}";

    @TempDir
    static Path dir;
    static KubeMockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = KubeMockCluster.start(dir);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static KubeTarget target() {
        return new KubeTarget(KubeMockCluster.CONTEXT, KubeMockCluster.NAMESPACE, Map.of("KUBECONFIG", cluster.kubeconfig().toString()));
    }

    @Test
    void aStreamedChatCompletionThroughTheRelayIsByteIdenticalToDirect() throws Exception {
        SimConfig config = SimConfig.builder().port(0).seed(7L).build();
        try (Simulator direct = Simulator.start(config); Simulator behind = Simulator.start(config);
             KubeConnection kube = KubeConnection.open(target())) {
            cluster.serveServiceProxy("ai-serving", "vllm-service", "http", URI.create("http://127.0.0.1:" + behind.port()));
            ServiceRelay relay = ServiceRelay.open(kube, ServiceRef.http("ai-serving", "vllm-service", "http"));
            behind.clearRequestLog();
            HttpResponse<String> viaDirect = post("http://127.0.0.1:" + direct.port() + "/v1/chat/completions");
            HttpResponse<String> viaRelay = post(relay.baseUrl() + "/v1/chat/completions");

            assertEquals(200, viaRelay.statusCode(), viaRelay.body());
            assertEquals("text/event-stream", viaRelay.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertTrue(viaRelay.body().contains("data: [DONE]"), viaRelay.body());
            assertEquals(withoutCreated(viaDirect.body()), withoutCreated(viaRelay.body()));
            assertEquals(1, behind.requestLog().size(), "the request crossed once (no retry)");
            assertTrue(relay.proxyUrl().endsWith("/api/v1/namespaces/ai-serving/services/vllm-service:http/proxy"), relay.proxyUrl());
            relay.close();
        }
    }

    @Test
    void aPrometheusQueryThroughTheApiServer() throws Exception {
        try (LocalPrometheus prometheus = LocalPrometheus.start(List.of())) {
            cluster.serveServiceProxy("monitoring", "prometheus-operated", "9090", URI.create(prometheus.url()));
            List<String> info = new ArrayList<>();
            try (ServiceAccess access = ServiceAccess.of(Access.AUTO, target(), info::add)) {
                ServiceAccess.Reached reached = access.reach("http://prometheus-operated.monitoring.svc:9090", null, null);
                assertTrue(reached.relayed());
                assertTrue(reached.url().matches("http://127\\.0\\.0\\.1:\\d+"), reached.url());
                PrometheusClient client = new PrometheusClient(reached.url(), Duration.ofSeconds(5));
                assertEquals(42.0, client.query("scalar(vector(42))", Instant.now()).get(0).value());
                assertEquals(reached.url(), access.reach("http://prometheus-operated.monitoring.svc:9090/", null, null).url().replaceAll("/$", ""),
                        "one relay per Service port");
            }
            assertEquals(1, info.size(), info.toString());
            assertTrue(info.get(0).startsWith("reaching prometheus-operated.monitoring:9090 through the API server http://127.0.0.1:"), info.get(0));
        }
    }

    @Test
    void directUrlsNeverCreateTheKubernetesClient() {
        try (ServiceAccess access = ServiceAccess.of(Access.AUTO, null, line -> { throw new AssertionError(line); })) {
            ServiceAccess.Reached reached = access.reach("https://chatbot.internal.example.com/v1", () -> ServiceRef.http("ai-serving", "vllm-service", "http"), null);
            assertFalse(reached.relayed());
            assertEquals("https://chatbot.internal.example.com/v1", reached.url());
            assertEquals("direct", reached.access());
            assertNull(access.reach(null, null, null));
        }
    }

    @Test
    void forbiddenServiceProxyIsOneLineNamingTheServiceAndTheRbacNeeded() {
        cluster.denyServiceProxy("locked");
        ServiceProxyException e = assertThrows(ServiceProxyException.class, () -> open(ServiceRef.http("locked", "prometheus", "9090")));
        assertEquals(4, e.exitCode());
        assertEquals(403, e.status());
        assertTrue(e.getMessage().startsWith("the API server refused to relay to Service prometheus.locked:9090 (HTTP 403): "
                + "services \"prometheus\" is forbidden"), e.getMessage());
        assertTrue(e.hint().contains("get and create on services/proxy in namespace locked"), e.hint());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aServiceWithoutEndpointsIs503AndAnUnknownOneIs404() {
        cluster.serveServiceProxy("ai-serving", "vllm-service-canary", "http", null);
        ServiceProxyException none = assertThrows(ServiceProxyException.class,
                () -> open(ServiceRef.http("ai-serving", "vllm-service-canary", "http")));
        assertEquals(503, none.status());
        assertTrue(none.getMessage().contains("no endpoints available for service \"vllm-service-canary\""), none.getMessage());
        assertTrue(none.hint().contains("kubectl get endpoints vllm-service-canary -n ai-serving"), none.hint());

        ServiceProxyException unknown = assertThrows(ServiceProxyException.class,
                () -> open(ServiceRef.http("ai-serving", "no-such-service", "80")));
        assertEquals(404, unknown.status());
        assertEquals(4, unknown.exitCode());
        assertTrue(unknown.getMessage().startsWith("Service no-such-service does not exist in namespace ai-serving"), unknown.getMessage());
    }

    @Test
    void onlyTheApiServersOwnRefusalsStopTheRelayNotTheServicesAnswers() {
        ServiceRef chatbot = ServiceRef.http("ai-serving", "vllm-service", "http");
        String dialFailure = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + "\"error trying to reach service: dial tcp 10.0.3.7:8000: i/o timeout\",\"reason\":\"ServiceUnavailable\",\"code\":503}";
        assertEquals(503, ServiceRelay.refusal(chatbot, 503, dialFailure, "https://api").status());
        assertNull(ServiceRelay.refusal(chatbot, 503, "{\"error\":{\"message\":\"overloaded\"}}", "https://api"), "the Service's own 503");
        assertNull(ServiceRelay.refusal(chatbot, 404, "{\"kind\":\"Status\",\"message\":\"the server could not find the requested resource\","
                + "\"code\":404}", "https://api"), "a 404 about something else (a followed redirect)");
        assertNull(ServiceRelay.refusal(chatbot, 401, "no key", "https://api"));
        assertNull(ServiceRelay.refusal(chatbot, 200, "{}", "https://api"));
    }

    @Test
    void anUnreachableApiServerIsExit4() {
        Path kubeconfig = KubeMockCluster.writeKubeconfig(dir.resolve("closed.yaml"), "http://127.0.0.1:" + FreePorts.next(), "closed", "ai-serving");
        KubeTarget closed = new KubeTarget("closed", "ai-serving", Map.of("KUBECONFIG", kubeconfig.toString()));
        try (ServiceAccess access = ServiceAccess.of(Access.AUTO, closed, line -> { })) {
            ExternalSystemException e = assertThrows(ExternalSystemException.class,
                    () -> access.reach("http://prometheus-operated.monitoring.svc:9090", null, null));
            assertEquals(4, e.exitCode());
            assertTrue(e.getMessage().startsWith("cannot reach the Kubernetes API server http://127.0.0.1:"), e.getMessage());
            assertTrue(e.getMessage().contains("relay to Service prometheus-operated.monitoring:9090"), e.getMessage());
        }
    }

    /**
     * Streaming, without the mock (which sends answers whole): an API server stand-in that streams the proxied answer
     * and holds the rest until the client has read the first event; the relay must deliver that event at once.
     * Also checks what crosses: the kube credentials as Authorization, the client's key as x-api-key.
     */
    @Test
    void theRelayStreamsAndCarriesTheClientsKeyAsXApiKey() throws Exception {
        CountDownLatch firstEventRead = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        api.createContext("/api/v1/namespaces/ai-serving/services/vllm-service:http/proxy", exchange -> {
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " authorization="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " x-api-key=" + exchange.getRequestHeaders().getFirst("x-api-key")
                    + " body=" + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (exchange.getRequestMethod().equals("POST")) {
                    firstEventRead.await(10, TimeUnit.SECONDS);
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        api.start();
        try {
            Path kubeconfig = KubeMockCluster.writeKubeconfig(dir.resolve("streaming.yaml"),
                    "http://127.0.0.1:" + api.getAddress().getPort(), "streaming", "ai-serving");
            KubeTarget streaming = new KubeTarget("streaming", "ai-serving", Map.of("KUBECONFIG", kubeconfig.toString()));
            try (KubeConnection kube = KubeConnection.open(streaming);
                 ServiceRelay relay = ServiceRelay.open(kube, ServiceRef.http("ai-serving", "vllm-service", "http"))) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(relay.baseUrl() + "/v1/chat/completions?x=1"))
                        .header("Authorization", "Bearer sk-test").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build();
                HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
                BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
                String first = CompletableFuture.supplyAsync(() -> line(reader)).get(5, TimeUnit.SECONDS);
                assertEquals("data: first", first, "the first event arrives while the upstream still holds the rest");
                firstEventRead.countDown();
                StringBuilder rest = new StringBuilder();
                for (String l; (l = reader.readLine()) != null; ) {
                    rest.append(l).append('\n');
                }
                assertEquals("\ndata: [DONE]\n\n", rest.toString());
                assertEquals("POST /api/v1/namespaces/ai-serving/services/vllm-service:http/proxy/v1/chat/completions?x=1"
                        + " authorization=Bearer test-token x-api-key=sk-test body={\"stream\":true}", seen.get());
            }
        } finally {
            api.stop(0);
        }
    }

    private static String line(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void open(ServiceRef service) {
        try (KubeConnection kube = KubeConnection.open(target())) {
            ServiceRelay.open(kube, service).close();
        }
    }

    private static HttpResponse<String> post(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String withoutCreated(String body) {
        return body.replaceAll("\"created\":\\d+", "\"created\":0");
    }
}
