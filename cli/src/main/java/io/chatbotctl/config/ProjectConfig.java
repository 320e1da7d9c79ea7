package io.chatbotctl.config;

import java.util.Map;

/**
 * The whole of {@code chatbotctl.yaml}.
 *
 * @param source       the file it was read from, or {@code (built-in defaults)}
 * @param service      service name (the Deployment name), {@code vllm-chatbot}
 * @param model        served model name, as vLLM's {@code --served-model-name}
 * @param environments environments by name, in file order
 * @param gateway      the {@code gateway:} block
 */
public record ProjectConfig(String source, String service, String model, Map<String, EnvironmentConfig> environments,
                            GatewaySettings gateway) {

    public ProjectConfig(String source, String service, String model, Map<String, EnvironmentConfig> environments) {
        this(source, service, model, environments, GatewaySettings.DEFAULT);
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
