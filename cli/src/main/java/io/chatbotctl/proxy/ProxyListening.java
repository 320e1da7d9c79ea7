package io.chatbotctl.proxy;

/**
 * What {@code chatbotctl proxy} prints (on stderr: stdout is the access log) once it listens.
 *
 * @param limits {@code local}, or the Redis URL (password hidden) and the failure mode
 */
public record ProxyListening(String url, String metricsUrl, String upstream, String keysFile, int keys, String limits,
                             String servedModel) {
}
