package io.chatbotctl.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's service proxy ({@code /api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy/PATH}) for the
 * fabric8 mock, which does not serve it: a request is passed on to the upstream registered for that Service port
 * (a simulator, a real Prometheus) the way kube-apiserver does it, and its answer returned. As the API server does,
 * the caller's {@code Authorization} header is not passed on (the authentication filter deletes it), an unknown
 * Service is 404 ({@code services "NAME" not found}), a known Service without a registered upstream is 503
 * ({@code no endpoints available for service "NAME"}), a port number the Service does not have is 503, and a
 * namespace whose {@code services/proxy} is {@link #deny denied} answers 403 with the RBAC message.
 *
 * <p>One difference: fabric8's mock sends each answer in one piece (its {@code MockResponse} holds a finished body),
 * so a streamed answer arrives whole, and the mock's event loop waits for it. Tests of the relay's streaming use an
 * upstream that streams through {@link io.chatbotctl.kube.ServiceRelay} without the mock (see ServiceRelayTest).
 */
public final class ServiceProxies {
    /** The path of a service proxy request: namespace, the {@code [scheme:]name[:port]} id, the rest. */
    static final Pattern PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/services/([^/]+)/proxy(/[^?]*)?(\\?.*)?");
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "host", "content-length", "authorization", "expect", "http2-settings");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER).build();

    private record Key(String namespace, String name) {}

    /** Upstream per Service and port (the port's name or number as registered); a null upstream has no endpoints. */
    private final Map<Key, Map<String, URI>> upstreams = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();

    /** @param upstream base URL the Service port leads to, e.g. {@code http://127.0.0.1:41234}; null: no endpoints */
    public void serve(String namespace, String name, String port, URI upstream) {
        upstreams.computeIfAbsent(new Key(namespace, name), k -> new ConcurrentHashMap<>())
                .put(port, upstream == null ? NO_ENDPOINTS : upstream);
    }

    /** Answers every service proxy request in {@code namespace} with 403, as RBAC does without services/proxy. */
    public void deny(String namespace) {
        denied.add(namespace);
    }

    public void reset() {
        upstreams.clear();
        denied.clear();
    }

    private static final URI NO_ENDPOINTS = URI.create("none:no-endpoints");

    static boolean matches(String path) {
        return PATH.matcher(path).matches();
    }

    /** @param serviceExists whether the store holds the Service {@code /api/v1/namespaces/NS/services/NAME} */
    MockResponse dispatch(RecordedRequest request, Predicate<String> serviceExists) {
        Matcher m = PATH.matcher(request.getPath());
        if (!m.matches()) {
            throw new IllegalArgumentException(request.getPath());
        }
        String namespace = m.group(1);
        String[] id = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8).split(":", -1);
        String scheme = id.length == 3 ? id[0] : "http";
        String name = id.length == 3 ? id[1] : id[0];
        String port = id.length == 3 ? id[2] : id.length == 2 ? id[1] : "";
        if (denied.contains(namespace)) {
            return status(403, "Forbidden", "services \"" + name + "\" is forbidden: User \"test-token\" cannot "
                    + verb(request.getMethod()) + " resource \"services/proxy\" in API group \"\" in the namespace \"" + namespace + "\"");
        }
        Map<String, URI> ports = upstreams.get(new Key(namespace, name));
        if (ports == null) {
            return serviceExists.test("/api/v1/namespaces/" + namespace + "/services/" + name)
                    ? status(503, "ServiceUnavailable", "no endpoints available for service \"" + name + "\"")
                    : status(404, "NotFound", "services \"" + name + "\" not found");
        }
        URI upstream = port.isEmpty() && ports.size() == 1 ? ports.values().iterator().next() : ports.get(port);
        if (upstream == null && port.matches("\\d+")) {
            return status(503, "ServiceUnavailable", "no service port " + port + " found for service \"" + name + "\"");
        }
        if (upstream == null || upstream == NO_ENDPOINTS) {
            return status(503, "ServiceUnavailable", "no endpoints available for service \"" + name + "\"");
        }
        if (!scheme.equals(upstream.getScheme())) {
            return status(503, "ServiceUnavailable", "error trying to reach service: " + scheme + " to an " + upstream.getScheme() + " port");
        }
        String rest = m.group(3) == null ? "/" : m.group(3);
        return forward(request, upstream.resolve(rest + (m.group(4) == null ? "" : m.group(4))));
    }

    private static MockResponse forward(RecordedRequest request, URI target) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60));
        request.getHeaders().toMultimap().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
        builder.method(request.getMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> answer;
        try {
            answer = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return status(503, "ServiceUnavailable", "error trying to reach service: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return status(503, "ServiceUnavailable", "interrupted");
        }
        MockResponse response = new MockResponse().setResponseCode(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> response.addHeader(name, v));
            }
        });
        return response.setBody(answer.body());
    }

    private static String verb(String method) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "get";
        };
    }

    /** The API server's error shape: a {@code v1 Status}. */
    static MockResponse status(int code, String reason, String message) {
        ObjectNode status = Json.mapper().createObjectNode();
        status.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
        status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }
}
