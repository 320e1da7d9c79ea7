package io.chatbotctl.config;

/**
 * The names of the service's objects in the cluster, from {@code chatbotctl.yaml} (top-level {@code service} and the
 * {@code names:} block); today's names are the defaults. Canary objects add {@code -canary}.
 *
 * @param deployment the vLLM Deployment: the top-level {@code service}
 * @param service    the Kubernetes Service in front of it
 * @param httpRoute  the Gateway API HTTPRoute that routes to the Service
 * @param hpa        the HorizontalPodAutoscaler
 * @param configMap  the serving settings (a Kustomize hash suffix is allowed)
 * @param appLabel   the label that selects the service's pods, as {@code key=value}
 * @param trackLabel the label whose value is {@code stable} or {@code canary}
 */
public record WorkloadNames(String deployment, String service, String httpRoute, String hpa, String configMap,
                            String appLabel, String trackLabel) {
    public static final String CANARY_SUFFIX = "-canary";

    public static WorkloadNames defaults() {
        return defaults(ConfigLoader.DEFAULT_SERVICE);
    }

    /** Today's names with the Deployment named {@code deployment}. */
    public static WorkloadNames defaults(String deployment) {
        return new WorkloadNames(deployment, "vllm-service", "vllm-chatbot", "vllm-chatbot-hpa", "vllm-config",
                "app.kubernetes.io/name=vllm-chatbot", "chatbotctl.io/track");
    }

    public String appLabelKey() {
        return appLabel.substring(0, appLabel.indexOf('='));
    }

    public String appLabelValue() {
        return appLabel.substring(appLabel.indexOf('=') + 1);
    }

    public String canaryDeployment() {
        return deployment + CANARY_SUFFIX;
    }

    public String canaryService() {
        return service + CANARY_SUFFIX;
    }
}
