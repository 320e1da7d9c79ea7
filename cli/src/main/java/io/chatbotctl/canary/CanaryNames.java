package io.chatbotctl.canary;

import io.chatbotctl.config.WorkloadNames;

/**
 * The names and labels canary objects use (design: canary objects add the suffix {@code -canary}); the stable
 * names come from chatbotctl.yaml ({@link WorkloadNames}).
 *
 * @param stableDeployment the stable Deployment
 * @param stableService    the stable Service
 * @param route            the HTTPRoute whose {@code backendRefs} weights split the traffic
 * @param trackLabel       the label whose value is {@code stable} or {@code canary}
 */
public record CanaryNames(String stableDeployment, String stableService, String route, String trackLabel) {
    /** Header value that reaches the canary at any weight; {@link #STABLE_ONLY} reaches stable. */
    public static final String CANARY_ONLY = "always";
    public static final String STABLE_ONLY = "never";
    public static final CanaryNames DEFAULTS = of(WorkloadNames.defaults());

    public static CanaryNames of(WorkloadNames names) {
        return new CanaryNames(names.deployment(), names.service(), names.httpRoute(), names.trackLabel());
    }

    public String canaryDeployment() {
        return canary(stableDeployment);
    }

    public String canaryService() {
        return canary(stableService);
    }

    /** The canary's name for a stable object's name (Deployment, Service, ConfigMap). */
    public static String canary(String stableName) {
        return stableName + WorkloadNames.CANARY_SUFFIX;
    }
}
