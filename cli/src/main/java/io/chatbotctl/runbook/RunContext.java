package io.chatbotctl.runbook;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.prometheus.PrometheusClient;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;

/** What checks, views and actions work with. */
final class RunContext {
    final KubernetesClient client;
    final String namespace;
    final RunOptions options;
    final Progress progress;
    final Clock clock;
    private final PrometheusClient prometheus;

    RunContext(KubernetesClient client, String namespace, PrometheusClient prometheus, RunOptions options,
               Progress progress, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.prometheus = prometheus;
        this.options = options;
        this.progress = progress;
        this.clock = clock;
    }

    PrometheusClient prometheus() {
        if (prometheus == null) {
            throw new InvalidInputException("this runbook reads metrics from Prometheus, but none is configured",
                    "pass --prometheus http://host:9090 or --env NAME with a prometheus URL in chatbotctl.yaml");
        }
        return prometheus;
    }
}
