package io.chatbotctl.config;

/**
 * One environment of {@code chatbotctl.yaml} after precedence is applied (flag > CHATBOTCTL_* > file > default).
 * Paths are absolute; URLs are as written (the OpenAI client completes a missing {@code /v1}).
 *
 * @param name            environment name, e.g. {@code production}
 * @param context         kube context; null means the kubeconfig's current context
 * @param namespace       Kubernetes namespace of the service
 * @param overlay         Kustomize overlay directory rendered for this environment
 * @param endpoint        OpenAI-compatible base URL of the chatbot
 * @param prometheus      Prometheus base URL
 * @param modelUri        S3 URI of the model weights
 * @param imageRepository container image repository of vLLM
 * @param region          AWS region for S3
 * @param metricsUrl      the server's Prometheus {@code /metrics} as clients reach it (the proxy's metrics port), or
 *                        null: derived from the endpoint
 * @param access          how in-cluster URLs are reached: {@code auto}, {@code direct} or {@code api-server}
 *                        (docs/access.md); null: not set (auto)
 */
public record EnvironmentConfig(
        String name,
        String context,
        String namespace,
        String overlay,
        String endpoint,
        String prometheus,
        String modelUri,
        String imageRepository,
        String region,
        String metricsUrl,
        String access) {

    /** The values {@code access} may take (io.chatbotctl.kube.Access's labels; a test keeps them equal). */
    public static final java.util.List<String> ACCESS_VALUES = java.util.List.of("auto", "direct", "api-server");

    /** Without {@code access} (auto). */
    public EnvironmentConfig(String name, String context, String namespace, String overlay, String endpoint,
                             String prometheus, String modelUri, String imageRepository, String region, String metricsUrl) {
        this(name, context, namespace, overlay, endpoint, prometheus, modelUri, imageRepository, region, metricsUrl, null);
    }
}
