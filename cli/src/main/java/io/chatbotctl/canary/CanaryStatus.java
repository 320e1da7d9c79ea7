package io.chatbotctl.canary;

/**
 * {@code canary status}: what runs now.
 *
 * @param namespace      the namespace
 * @param canaryRunning  whether a canary Deployment exists
 * @param stableImage    the stable Deployment's image, or null when there is none
 * @param canaryImage    the canary's image, or null
 * @param canaryReplicas desired canary replicas
 * @param canaryReady    ready canary replicas
 * @param weight         the canary Ingress' weight in percent, or null without a canary Ingress
 * @param ingress        the canary Ingress' name, or null
 */
public record CanaryStatus(String namespace, boolean canaryRunning, String stableImage, String canaryImage,
                           int canaryReplicas, int canaryReady, Integer weight, String ingress) {
}
