package io.chatbotctl.canary;

/** The names and labels canary objects use (design: canary objects add the suffix {@code -canary}). */
public final class CanaryNames {
    public static final String STABLE_DEPLOYMENT = "vllm-chatbot";
    public static final String CANARY_DEPLOYMENT = "vllm-chatbot-canary";
    public static final String STABLE_SERVICE = "vllm-service";
    public static final String CANARY_SERVICE = "vllm-service-canary";
    public static final String TRACK_LABEL = "chatbotctl.io/track";
    public static final String CANARY_ANNOTATION = "nginx.ingress.kubernetes.io/canary";
    public static final String WEIGHT_ANNOTATION = "nginx.ingress.kubernetes.io/canary-weight";
    public static final String HEADER_ANNOTATION = "nginx.ingress.kubernetes.io/canary-by-header";
    /** Requests with {@code X-Canary: always} reach only the canary, {@code never} only stable. */
    public static final String HEADER = "X-Canary";

    private CanaryNames() {}

    public static String canaryIngress(String stableIngress) {
        return stableIngress + "-canary";
    }
}
