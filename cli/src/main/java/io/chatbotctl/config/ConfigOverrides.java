package io.chatbotctl.config;

/**
 * Values given on the command line; null when not given. The loader fills the rest from {@code CHATBOTCTL_*}
 * variables, then the file, then defaults.
 */
public record ConfigOverrides(String configFile, String env, String context, String namespace) {
    public static final ConfigOverrides NONE = new ConfigOverrides(null, null, null, null);
}
