package io.chatbotctl.cli;

/** Values of {@code -o}. */
public enum OutputFormat {
    table, json, yaml
}
