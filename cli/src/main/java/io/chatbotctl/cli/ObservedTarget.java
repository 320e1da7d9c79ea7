package io.chatbotctl.cli;

import io.chatbotctl.config.ConfigLoader;
import io.chatbotctl.config.EnvironmentConfig;

/**
 * Where a command that observes a service looks: the namespace ({@code -n}, else the environment's, else the default)
 * and Prometheus ({@code --prometheus}, else the environment's). Shared by {@code canary watch} and {@code runbook}.
 *
 * @param namespace  the namespace
 * @param prometheus Prometheus' base URL, or null when neither the flag nor the environment names one
 */
record ObservedTarget(String namespace, String prometheus) {

    /** @param env the selected environment, or null; @param prometheusFlag {@code --prometheus}, or null */
    static ObservedTarget of(BaseCommand command, EnvironmentConfig env, String prometheusFlag) {
        String namespace = command.global().namespace() != null ? command.global().namespace()
                : env != null && env.namespace() != null ? env.namespace() : ConfigLoader.DEFAULT_NAMESPACE;
        String prometheus = prometheusFlag != null ? prometheusFlag : env == null ? null : env.prometheus();
        return new ObservedTarget(namespace, prometheus);
    }
}
