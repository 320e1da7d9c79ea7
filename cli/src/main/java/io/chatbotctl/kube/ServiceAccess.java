package io.chatbotctl.kube;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How one command reaches its HTTP services (Prometheus, the chatbot's endpoint, its /metrics): {@link #reach} turns
 * a configured URL into the one to use, opening a {@link ServiceRelay} when {@link ServiceRoutes} says the URL goes
 * through the API server. One relay per Service port, all closed with this object. The Kubernetes client is created
 * only when a relay is needed, so a command whose URLs are all reached directly never loads it.
 * <pre>{@code
 * try (ServiceAccess access = ServiceAccess.of(Access.AUTO, kubeTarget, output::info)) {
 *     String prometheus = access.reach(configuredUrl).url();
 *     ...
 * }
 * }</pre>
 */
public final class ServiceAccess implements AutoCloseable {
    private final Access access;
    private final Supplier<KubeConnection> connect;
    private final boolean ownsConnection;
    private final Consumer<String> info;
    private final Map<ServiceRef, ServiceRelay> relays = new LinkedHashMap<>();
    private KubeConnection kube;

    private ServiceAccess(Access access, Supplier<KubeConnection> connect, boolean ownsConnection, Consumer<String> info) {
        this.access = access;
        this.connect = connect;
        this.ownsConnection = ownsConnection;
        this.info = info;
    }

    /** Opens a {@link KubeConnection} to {@code target} when the first relay is needed, and closes it at the end. */
    public static ServiceAccess of(Access access, KubeTarget target, Consumer<String> info) {
        return new ServiceAccess(access, () -> KubeConnection.open(target), true, info);
    }

    /** Uses the caller's open connection (left open at the end). */
    public static ServiceAccess using(Access access, KubeConnection kube, Consumer<String> info) {
        return new ServiceAccess(access, () -> kube, false, info);
    }

    public Access access() {
        return access;
    }

    /**
     * A URL as the command should use it.
     *
     * @param url        the configured URL
     * @param service    the Service port it was sent to, or null when reached directly
     * @param configured the URL as configured, for reports
     */
    public record Reached(String url, ServiceRef service, String configured) {
        public boolean relayed() {
            return service != null;
        }

        /** {@code api-server} or {@code direct}: how it was reached, for reports. */
        public String access() {
            return relayed() ? Access.API_SERVER.label() : Access.DIRECT.label();
        }
    }

    /**
     * @param url      the configured URL; null gives null
     * @param fallback the Service standing for a URL that names none, in api-server mode (see {@link ServiceRoutes}),
     *                 asked for only then (it may read chatbotctl.yaml); null: none (an error in that case)
     * @param caveat   added to the stderr line when relayed (e.g. the load test's extra hop), or null
     */
    public Reached reach(String url, Supplier<ServiceRef> fallback, String caveat) {
        if (url == null || url.isBlank()) {
            return null;
        }
        return relay(ServiceRoutes.route(url, access, fallback), caveat);
    }

    /** A URL with no fallback Service (Prometheus): see {@link #reach(String, Supplier, String)}. */
    public Reached reach(String url) {
        return reach(url, null, null);
    }

    /**
     * For URLs that need not be in the cluster (an eval judge, an embeddings server): through the API server when the
     * host names a Service and access is not {@code direct}; otherwise, even in {@code api-server} mode, directly.
     */
    public Reached reachNamed(String url) {
        Access mode = access == Access.DIRECT ? Access.DIRECT : Access.AUTO;
        return relay(ServiceRoutes.route(url, mode, null), null);
    }

    private Reached relay(ServiceRoutes.Route route, String caveat) {
        String url = route.url();
        if (!route.relayed()) {
            return new Reached(url, null, url);
        }
        ServiceRelay relay = relays.get(route.service());
        if (relay == null) {
            relay = ServiceRelay.open(connection(), route.service());
            relays.put(route.service(), relay);
            info.accept("reaching " + route.service() + " through the API server " + kube.server()
                    + (caveat == null ? "" : ": " + caveat));
        }
        return new Reached(route.through(relay.baseUrl()), route.service(), url);
    }

    private KubeConnection connection() {
        if (kube == null) {
            kube = connect.get();
        }
        return kube;
    }

    @Override
    public void close() {
        for (ServiceRelay relay : relays.values()) {
            relay.close();
        }
        relays.clear();
        if (ownsConnection && kube != null) {
            kube.close();
        }
    }
}
