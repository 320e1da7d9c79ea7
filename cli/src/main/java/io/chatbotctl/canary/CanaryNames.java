package io.chatbotctl.canary;

import io.chatbotctl.config.WorkloadNames;

/**
 * The names and labels canary objects use (design: canary objects add the suffix {@code -canary}); the stable
 * names come from chatbotctl.yaml ({@link WorkloadNames}).
 */
public record CanaryNames(String stableDeployment, String stableService, String trackLabel) {
    public static final String CANARY_ANNOTATION = "nginx.ingress.kubernetes.io/canary";
    public static final String WEIGHT_ANNOTATION = "nginx.ingress.kubernetes.io/canary-weight";
    public static final String HEADER_ANNOTATION = "nginx.ingress.kubernetes.io/canary-by-header";
    /** Requests with {@code X-Canary: always} reach only the canary, {@code never} only stable. */
    public static final String HEADER = "X-Canary";

    public static CanaryNames of(WorkloadNames names) {
        return new CanaryNames(names.deployment(), names.service(), names.trackLabel());
    }

    public String canaryDeployment() {
        return stableDeployment + WorkloadNames.CANARY_SUFFIX;
    }

    public String canaryService() {
        return stableService + WorkloadNames.CANARY_SUFFIX;
    }

    public static String canaryIngress(String stableIngress) {
        return stableIngress + "-canary";
    }
}
