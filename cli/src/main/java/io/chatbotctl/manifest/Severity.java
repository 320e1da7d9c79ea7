package io.chatbotctl.manifest;

/** How bad a lint finding is: errors fail {@code lint} (exit 1) and block {@code deploy}. */
public enum Severity {
    error, warning, info
}
