package io.chatbotctl.loadtest;

import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;

/** The endpoint a load test runs against, and the embedded simulator behind it when there is one (closed at the end). */
public final class LoadTestTarget implements AutoCloseable {
    private final String endpoint;
    private final String configuredEndpoint;
    private final String access;
    private final AutoCloseable owned;

    private LoadTestTarget(String endpoint, String configuredEndpoint, String access, AutoCloseable owned) {
        this.endpoint = endpoint;
        this.configuredEndpoint = configuredEndpoint;
        this.access = access;
        this.owned = owned;
    }

    public static LoadTestTarget of(String endpoint) {
        return of(endpoint, endpoint, "direct");
    }

    /**
     * @param endpoint   where requests go (a local relay when relayed)
     * @param configured the endpoint as configured
     * @param access     {@code direct} or {@code api-server} (docs/access.md)
     */
    public static LoadTestTarget of(String endpoint, String configured, String access) {
        return new LoadTestTarget(endpoint, configured, access, null);
    }

    /** Starts the embedded vLLM simulator (default profile) on a free loopback port. */
    public static LoadTestTarget embeddedSimulator() {
        Simulator sim = Simulator.start(SimConfig.builder().port(0).build());
        return new LoadTestTarget(sim.baseUrl(), sim.baseUrl(), "direct", sim);
    }

    public String endpoint() {
        return endpoint;
    }

    public String configuredEndpoint() {
        return configuredEndpoint;
    }

    public String access() {
        return access;
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception ignored) {
                // the run's result is decided; the simulator's threads are daemons
            }
        }
    }
}
