package io.chatbotctl.canary;

/**
 * The names and labels canary objects use (design: canary objects add the suffix {@code -canary}). The stable names
 * are the defaults of the workload's names; every canary name is derived here with {@link #canary(String)}.
 */
public final class CanaryNames {
    public static final String STABLE_DEPLOYMENT = "vllm-chatbot";
    public static final String CANARY_DEPLOYMENT = canary(STABLE_DEPLOYMENT);
    public static final String STABLE_SERVICE = "vllm-service";
    public static final String CANARY_SERVICE = canary(STABLE_SERVICE);
    /** The HTTPRoute whose {@code backendRefs} weights split the traffic. */
    public static final String ROUTE = "vllm-chatbot";
    public static final String TRACK_LABEL = "chatbotctl.io/track";
    /** Header value that reaches the canary at any weight; {@link #STABLE_ONLY} reaches stable. */
    public static final String CANARY_ONLY = "always";
    public static final String STABLE_ONLY = "never";

    private CanaryNames() {}

    /** The canary's name for a stable object's name (Deployment, Service, ConfigMap). */
    public static String canary(String stableName) {
        return stableName + "-canary";
    }
}
