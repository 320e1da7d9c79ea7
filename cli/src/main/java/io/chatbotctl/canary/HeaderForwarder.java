package io.chatbotctl.canary;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.HttpRelay;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP forwarder that adds headers to every request: the eval runner talks to it, it talks to the
 * service's endpoint with {@code X-Canary: always}, so every eval request takes the canary's header route. Bodies
 * are streamed through unchanged in both directions.
 */
final class HeaderForwarder implements AutoCloseable {
    private static final List<String> COPIED = List.of("Content-Type", "Accept", "Authorization", "x-api-key");

    private final URI target;
    private final Map<String, String> headers;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient http;

    /** @param endpoint the service's OpenAI base URL ({@code https://host/v1}) */
    HeaderForwarder(String endpoint, Map<String, String> headers) {
        this.target = URI.create(endpoint.endsWith("/v1") ? endpoint.substring(0, endpoint.length() - 3) : endpoint);
        this.headers = Map.copyOf(headers);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new ExternalSystemException("cannot listen on loopback for the canary eval: " + e.getMessage());
        }
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "canary-eval-forwarder");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    /** The OpenAI base URL to give the eval runner. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = target.getPath().replaceAll("/$", "") + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(path)).timeout(Duration.ofMinutes(10))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String name : COPIED) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.header(name, value);
                }
            }
            headers.forEach(request::header);
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            HttpRelay.relay(response, exchange);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
