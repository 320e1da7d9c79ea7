package io.chatbotctl.config;

import java.util.Map;

/**
 * The whole of {@code chatbotctl.yaml}.
 *
 * @param source       the file it was read from, or {@code (built-in defaults)}
 * @param service      service name (the Deployment name), {@code vllm-chatbot}
 * @param model        served model name, as vLLM's {@code --served-model-name}
 * @param names        the names of the service's objects in the cluster (the {@code names:} block)
 * @param environments environments by name, in file order
 * @param proxy        the {@code proxy:} block ({@link ProxyConfig#EMPTY} when absent)
 * @param gateway      the {@code gateway:} block ({@link GatewaySettings#DEFAULT} when absent)
 */
public record ProjectConfig(String source, String service, String model, WorkloadNames names,
                            Map<String, EnvironmentConfig> environments, ProxyConfig proxy, GatewaySettings gateway) {

    public ProjectConfig(String source, String service, String model, WorkloadNames names,
                         Map<String, EnvironmentConfig> environments) {
        this(source, service, model, names, environments, ProxyConfig.EMPTY, GatewaySettings.DEFAULT);
    }

    public ProjectConfig(String source, String service, String model, WorkloadNames names,
                         Map<String, EnvironmentConfig> environments, ProxyConfig proxy) {
        this(source, service, model, names, environments, proxy, GatewaySettings.DEFAULT);
    }

    public EnvironmentConfig environment(String name) {
        EnvironmentConfig env = environments.get(name);
        if (env == null) {
            throw new io.chatbotctl.core.InvalidInputException(
                    "no environment '" + name + "' in " + source,
                    "known environments: " + String.join(", ", environments.keySet()));
        }
        return env;
    }
}
