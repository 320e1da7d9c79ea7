package io.chatbotctl.config;

/**
 * The {@code proxy:} block of {@code chatbotctl.yaml}: defaults for {@code chatbotctl proxy}, each overridden by its
 * flag (and {@code keys}/{@code redis} by {@code CHATBOTCTL_PROXY_KEYS}/{@code CHATBOTCTL_PROXY_REDIS_URL}). Every
 * field is null when not set; paths are resolved against the file's directory.
 */
public record ProxyConfig(String upstream, String listen, String metricsListen, String keys, String redis,
                          String redisFailure, String systemPrompt, String systemPromptPolicy, String maxBody,
                          Integer maxInputTokens, Integer maxTokensCeiling, String servedModel, Boolean logBodies,
                          String upstreamTimeout) {
    public static final ProxyConfig EMPTY = new ProxyConfig(null, null, null, null, null, null, null, null, null, null,
            null, null, null, null);
}
