package io.chatbotctl.canary;

/**
 * {@code canary status}: what runs now, the weights as read back from the HTTPRoute.
 *
 * @param namespace      the namespace
 * @param canaryRunning  whether a canary Deployment exists
 * @param stableImage    the stable Deployment's image, or null when there is none
 * @param canaryImage    the canary's image, or null
 * @param canaryReplicas desired canary replicas
 * @param canaryReady    ready canary replicas
 * @param weight         the canary's share of the route's weights in percent, or null when the route does not send to it
 * @param stableWeight   stable's share in percent, or null likewise
 * @param route          the HTTPRoute's name, or null when there is none
 * @param header         the header that routes to one track ({@code always}: canary, {@code never}: stable), or null
 */
public record CanaryStatus(String namespace, boolean canaryRunning, String stableImage, String canaryImage,
                           int canaryReplicas, int canaryReady, Integer weight, Integer stableWeight, String route,
                           String header) {
}
