package io.chatbotctl.kube;

import io.chatbotctl.core.InvalidInputException;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, without touching anything, how a configured URL is reached (docs/access.md, "Which Service"):
 * <ul>
 *   <li>A host {@code NAME.NAMESPACE.svc}, optionally followed by the cluster domain ({@code .cluster.local} or a
 *   custom one), names a Service: port {@code PORT} of the URL (80 or 443 without one), the URL's scheme.</li>
 *   <li>{@code NAME.NAMESPACE} and a bare {@code NAME} resolve to Services inside a pod too, but from outside they
 *   cannot be told from ordinary host names ({@code example.com}, {@code localhost}): they are not taken for
 *   Services. Write the {@code .svc} form to have them relayed.</li>
 *   <li>{@link Access#DIRECT}: always the URL itself. {@link Access#AUTO}: through the API server when the host
 *   names a Service, else directly. {@link Access#API_SERVER}: the named Service, else the {@code fallback} (for the
 *   chatbot's endpoint: its Service, whose {@code http} port is the proxy sidecar), else an error.</li>
 * </ul>
 */
public final class ServiceRoutes {
    private static final String LABEL = "[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?";
    private static final Pattern SERVICE_HOST = Pattern.compile("(" + LABEL + ")\\.(" + LABEL + ")\\.svc(\\.[-a-z0-9.]+)?\\.?");

    private ServiceRoutes() {}

    /**
     * @param url     the URL as configured
     * @param service the Service port it is reached through, or null: directly
     * @param path    what follows the host in the URL (path and query), kept on the local relay's URL
     */
    public record Route(String url, ServiceRef service, String path) {
        public boolean relayed() {
            return service != null;
        }

        /** The URL to use once the relay for {@link #service()} listens at {@code relayBase} ({@code http://127.0.0.1:P}). */
        public String through(String relayBase) {
            return relayed() ? relayBase + path : url;
        }
    }

    /** The Service port a URL's host names, or empty when the host is not {@code NAME.NAMESPACE.svc[.DOMAIN]}. */
    public static Optional<ServiceRef> service(URI url) {
        String host = url.getHost();
        if (host == null) {
            return Optional.empty();
        }
        Matcher m = SERVICE_HOST.matcher(host.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        String scheme = url.getScheme() == null ? "http" : url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
        return Optional.of(new ServiceRef(scheme, m.group(2), m.group(1), Integer.toString(port)));
    }

    /**
     * @param url      an http(s) URL
     * @param access   the selected mode
     * @param fallback the Service that stands for a URL naming none in {@link Access#API_SERVER} mode, asked for
     *                 only then; null when there is none (Prometheus)
     */
    public static Route route(String url, Access access, Supplier<ServiceRef> fallback) {
        URI uri = parse(url);
        if (access == Access.DIRECT || uri == null && access == Access.AUTO) {
            return new Route(url, null, null); // the client that uses it says what is wrong with it
        }
        if (uri == null) {
            throw new InvalidInputException("'" + url + "' is not an http(s) URL",
                    "write its in-cluster address, e.g. http://vllm-service.ai-serving.svc:8000/v1");
        }
        Optional<ServiceRef> named = service(uri);
        if (named.isEmpty() && access == Access.AUTO) {
            return new Route(url, null, null);
        }
        ServiceRef service = named.isPresent() ? named.get() : fallback == null ? null : fallback.get();
        if (service == null) {
            throw new InvalidInputException(url + " names no Service (NAME.NAMESPACE.svc) to reach through the API server",
                    "write its in-cluster address, e.g. http://prometheus-operated.monitoring.svc:9090, or use --access direct");
        }
        return new Route(url, service, pathOf(uri));
    }

    private static String pathOf(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** The URL, or null when it is none with a host. */
    private static URI parse(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() == null ? null : uri;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
