package io.chatbotctl.loadtest;

import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;

/** The endpoint a load test runs against, and the embedded simulator behind it when there is one (closed at the end). */
public final class LoadTestTarget implements AutoCloseable {
    private final String endpoint;
    private final AutoCloseable owned;

    private LoadTestTarget(String endpoint, AutoCloseable owned) {
        this.endpoint = endpoint;
        this.owned = owned;
    }

    public static LoadTestTarget of(String endpoint) {
        return new LoadTestTarget(endpoint, null);
    }

    /** Starts the embedded vLLM simulator (default profile) on a free loopback port. */
    public static LoadTestTarget embeddedSimulator() {
        Simulator sim = Simulator.start(SimConfig.builder().port(0).build());
        return new LoadTestTarget(sim.baseUrl(), sim);
    }

    public String endpoint() {
        return endpoint;
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
