package io.chatbotctl.runbook;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.config.WorkloadNames;
import io.chatbotctl.core.Progress;
import io.chatbotctl.prometheus.PrometheusClient;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;

/** What checks, views and actions work with. */
final class RunContext {
    final KubernetesClient client;
    final String namespace;
    /** The service's Deployment, HPA, ConfigMap and pod label (chatbotctl.yaml). */
    final WorkloadNames names;
    final RunOptions options;
    final Progress progress;
    final Clock clock;
    private final PrometheusClient prometheus;

    RunContext(KubernetesClient client, String namespace, WorkloadNames names, PrometheusClient prometheus,
               RunOptions options, Progress progress, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.names = names;
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
