package io.chatbotctl.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chatbotctl.core.Json;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that passes every request on to one Service port through the Kubernetes API server's
 * service proxy ({@link ServiceRef#proxyPath()}), with the fabric8 client's own authenticated HTTP client, and
 * streams each answer back as it arrives (SSE is never buffered). Clients use {@link #baseUrl()}
 * ({@code http://127.0.0.1:PORT}) in place of the Service's address and stay unchanged.
 *
 * <p>What crosses: the method, path and query, the body, and the headers except the hop-by-hop ones, {@code Host}
 * and {@code Authorization}. The API server authenticates the caller with that header and then deletes it
 * (k8s.io/apiserver, filters/authentication.go: "authorization header is not required anymore in case of a
 * successful authentication"), so a client's {@code Authorization: Bearer KEY} is sent on as {@code x-api-key: KEY},
 * which the chatbot's proxy accepts. The API server treats proxy requests as long-running (no 60 s request timeout);
 * this relay sets no timeout of its own either: clients keep theirs. Redirects are followed by the fabric8 client.
 *
 * <p>{@link #open} asks the API server once before listening, so a missing {@code services/proxy} permission, an
 * unknown Service or one without ready endpoints fails the command at once with a {@link ServiceProxyException}.
 */
public final class ServiceRelay implements AutoCloseable {
    /** RFC 9110 7.6.1 connection-specific fields, and those the relay sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "authorization", "expect", "date");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final KubeConnection kube;
    private final ServiceRef service;
    private final HttpClient http;
    private final String proxyUrl;
    private HttpServer server;
    private ExecutorService executor;

    private ServiceRelay(KubeConnection kube, ServiceRef service) {
        this.kube = kube;
        this.service = service;
        // No retries: a chat completion must not be sent twice because the first attempt failed half-way.
        this.http = kube.client().getHttpClient().newBuilder()
                .tag(new RequestConfigBuilder(kube.client().getConfiguration().getRequestConfig())
                        .withRequestRetryBackoffLimit(0).build())
                .build();
        String master = kube.server().endsWith("/") ? kube.server().substring(0, kube.server().length() - 1) : kube.server();
        this.proxyUrl = master + service.proxyPath();
    }

    /** Checks that the API server relays to {@code service}, then listens on 127.0.0.1 (an ephemeral port). */
    public static ServiceRelay open(KubeConnection kube, ServiceRef service) {
        ServiceRelay relay = new ServiceRelay(kube, service);
        relay.check();
        relay.listen();
        return relay;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public ServiceRef service() {
        return service;
    }

    /** The API server URL requests go to, e.g. {@code https://API/api/v1/namespaces/NS/services/NAME:PORT/proxy}. */
    public String proxyUrl() {
        return proxyUrl;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void check() {
        HttpResponse<String> response;
        try {
            response = http.sendAsync(http.newHttpRequestBuilder().uri(proxyUrl + "/").build(), String.class)
                    .get(KubeConnection.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw kube.failure("relay to Service " + service, new KubernetesClientException(String.valueOf(e.getMessage()),
                    e instanceof ExecutionException ? e.getCause() : e));
        }
        ServiceProxyException refused = refusal(service, response.code(), response.body(), kube.server());
        if (refused != null) {
            throw refused;
        }
    }

    /**
     * The API server's own refusal to proxy ({@code kind: Status} naming the Service), or null when the answer came
     * from the Service (whatever its status) or is not about it.
     */
    static ServiceProxyException refusal(ServiceRef service, int code, String body, String server) {
        if (code < 400 || body == null) {
            return null;
        }
        JsonNode status;
        try {
            status = Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
        String message = status == null ? "" : status.path("message").asText("");
        boolean aboutService = message.contains("\"" + service.name() + "\"")
                || message.startsWith("error trying to reach service");
        if (!"Status".equals(status == null ? null : status.path("kind").asText()) || !aboutService) {
            return null;
        }
        String ns = service.namespace();
        String verbs = "get and create on services/proxy in namespace " + ns;
        return switch (code) {
            case 401 -> new ServiceProxyException(service, code, "the API server " + server
                    + " rejected the credentials used to relay to Service " + service + ": " + message,
                    "refresh them (e.g. aws eks update-kubeconfig); see docs/access.md");
            case 403 -> new ServiceProxyException(service, code, "the API server refused to relay to Service " + service
                    + " (HTTP 403): " + message, "reaching it through the API server needs " + verbs
                    + " (kubectl auth can-i create services/proxy -n " + ns + "); or use --access direct where the address"
                    + " is reachable. See docs/access.md");
            case 404 -> new ServiceProxyException(service, code, "Service " + service.name() + " does not exist in namespace "
                    + ns + " (HTTP 404 from the API server " + server + ")",
                    "check the URL's host (NAME.NAMESPACE.svc) or the names in chatbotctl.yaml");
            case 503 -> new ServiceProxyException(service, code, "Service " + service + " cannot be reached through the API"
                    + " server (HTTP 503): " + message, "its pods are not ready or the port is wrong: kubectl get endpoints "
                    + service.name() + " -n " + ns);
            default -> new ServiceProxyException(service, code, "the API server could not relay to Service " + service
                    + " (HTTP " + code + "): " + message, "rerun with --debug for details; see docs/access.md");
        };
    }

    private void listen() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback for the relay to " + service, e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "relay-" + service.name() + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            forward(exchange);
        } catch (IOException | RuntimeException e) {
            // the client went away, or the answer broke off half-way: nothing more can be said to the client
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange) throws IOException, InterruptedException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        OutputStream out = exchange.getResponseBody();
        CompletableFuture<HttpResponse<AsyncBody>> answer = http.consumeBytes(request(exchange, body), (chunks, async) -> {
            for (ByteBuffer chunk : chunks) {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                out.write(bytes);
            }
            out.flush();
            async.consume();
        });
        HttpResponse<AsyncBody> response;
        try {
            response = answer.get();
        } catch (ExecutionException e) {
            fail(exchange, 502, "chatbotctl relay: cannot reach the Kubernetes API server " + kube.server() + " for Service "
                    + service + ": " + e.getCause());
            return;
        }
        for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(header.getKey(), header.getValue());
            }
        }
        exchange.sendResponseHeaders(response.code(), responseLength(exchange, response));
        AsyncBody async = response.body();
        async.consume();
        try {
            async.done().get();
        } catch (ExecutionException e) {
            async.cancel();
        }
    }

    private HttpRequest request(HttpExchange exchange, byte[] body) {
        String query = exchange.getRequestURI().getRawQuery();
        HttpRequest.Builder builder = http.newHttpRequestBuilder().forStreaming()
                .uri(proxyUrl + exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query));
        boolean apiKeyGiven = exchange.getRequestHeaders().containsKey("X-api-key");
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            for (String value : header.getValue()) {
                if (!NOT_FORWARDED.contains(name)) {
                    builder.header(header.getKey(), value);
                } else if (name.equals("authorization") && !apiKeyGiven && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    builder.header("x-api-key", value.substring(7).strip());
                }
            }
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (body.length > 0 || !(method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"))) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            builder.method(method, type == null ? "application/octet-stream" : type, new ByteArrayInputStream(body), (long) body.length);
        } else if (!method.equals("GET")) {
            builder.method(method, null, (String) null);
        }
        return builder.build();
    }

    /** The length for {@code sendResponseHeaders}: -1 no body, 0 chunked, else the upstream's Content-Length. */
    private static long responseLength(HttpExchange exchange, HttpResponse<?> response) {
        int code = response.code();
        if ("HEAD".equalsIgnoreCase(exchange.getRequestMethod()) || code == 204 || code == 304 || code < 200) {
            return -1;
        }
        String length = response.header("Content-Length");
        if (length == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(length.strip());
            return n == 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void fail(HttpExchange exchange, int code, String message) throws IOException {
        byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(code, text.length);
        exchange.getResponseBody().write(text);
    }
}
