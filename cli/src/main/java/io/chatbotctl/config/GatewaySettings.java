package io.chatbotctl.config;

/**
 * The {@code gateway:} block of {@code chatbotctl.yaml}: how chatbotctl reaches a canary through the Gateway API
 * route. The Gateway itself (class, hostnames, TLS, timeouts) lives in the manifests' overlays.
 *
 * @param canaryHeader the request header whose value {@code always} routes to the canary and {@code never} to stable
 *                     at any weight; default {@code X-Canary}
 */
public record GatewaySettings(String canaryHeader) {
    public static final GatewaySettings DEFAULT = new GatewaySettings("X-Canary");
    static final java.util.Set<String> FIELDS = java.util.Set.of("canaryHeader");

    /** An HTTP header name (RFC 9110 token). */
    static boolean validHeaderName(String name) {
        return name != null && name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    }
}
