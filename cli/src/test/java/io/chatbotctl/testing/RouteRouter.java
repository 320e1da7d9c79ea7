package io.chatbotctl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chatbotctl.canary.KubeCanary;
import io.chatbotctl.core.HttpRelay;
import io.chatbotctl.core.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Gateway for tests: an HTTP router on loopback that routes every request by the live HTTPRoute in the mock
 * cluster, read at each request, as a Gateway API implementation does in what the canary tests rely on: a rule
 * matches when its path prefix matches and every header match is equal (names case-insensitive); among matching
 * rules the one with the most header matches wins; its {@code backendRefs} are chosen at random by weight (default 1;
 * all 0 answers 500). Services map to base URLs (simulators). Request headers (hop-by-hop ones aside) and bodies go through in both directions.
 */
public final class RouteRouter implements AutoCloseable {
    /** Headers the JDK's HttpClient sets itself (and refuses from callers). */
    private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("connection", "content-length", "expect", "host",
            "upgrade", "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "http2-settings");
    private final KubernetesClient client;
    private final String route;
    private final Map<String, String> services;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "route-router");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** @param services Service name → base URL of what serves it, e.g. {@code vllm-service -> http://127.0.0.1:8001} */
    public static RouteRouter start(KubernetesClient client, String route, Map<String, String> services) {
        return new RouteRouter(client, route, services);
    }

    private RouteRouter(KubernetesClient client, String route, Map<String, String> services) {
        this.client = client;
        this.route = route;
        this.services = Map.copyOf(services);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::route);
        server.start();
    }

    /** The router's base URL, e.g. {@code http://127.0.0.1:43123}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String backend = backend(exchange);
            if (backend == null || backend.isEmpty()) {
                exchange.sendResponseHeaders(backend == null ? 404 : 503, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(services.get(backend) + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            // every end-to-end header goes through (Authorization for the proxy's keys); the client sets the hop-by-hop ones
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException | InterruptedException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            HttpRelay.relay(response, exchange);
        }
    }

    /** The Service the route sends this request to; null when no rule matches, "" when every weight is 0. */
    private String backend(HttpExchange exchange) throws IOException {
        GenericKubernetesResource live = client.genericKubernetesResources(KubeCanary.HTTP_ROUTE).withName(route).get();
        if (live == null) {
            return null;
        }
        JsonNode rules = Json.mapper().readTree(client.getKubernetesSerialization().asJson(live)).path("spec").path("rules");
        JsonNode best = null;
        int bestHeaders = -1;
        for (JsonNode rule : rules) {
            for (JsonNode match : rule.path("matches")) {
                if (matches(match, exchange) && match.path("headers").size() > bestHeaders) {
                    best = rule;
                    bestHeaders = match.path("headers").size();
                }
            }
        }
        return best == null ? null : pick(best.path("backendRefs"));
    }

    private static boolean matches(JsonNode match, HttpExchange exchange) {
        String prefix = match.path("path").path("value").asText("/");
        String path = exchange.getRequestURI().getPath();
        boolean pathMatches = prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
        if (!pathMatches) {
            return false;
        }
        for (JsonNode header : match.path("headers")) {
            List<String> values = exchange.getRequestHeaders().get(header.path("name").asText().toLowerCase(Locale.ROOT));
            if (values == null || !values.contains(header.path("value").asText())) {
                return false;
            }
        }
        return true;
    }

    private static String pick(JsonNode refs) {
        int total = 0;
        for (JsonNode ref : refs) {
            total += ref.path("weight").asInt(1);
        }
        if (total == 0) {
            return "";
        }
        int n = ThreadLocalRandom.current().nextInt(total);
        for (JsonNode ref : refs) {
            n -= ref.path("weight").asInt(1);
            if (n < 0) {
                return ref.path("name").asText();
            }
        }
        throw new IllegalStateException("unreachable");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
