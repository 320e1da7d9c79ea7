package io.chatbotctl.manifest;

import com.fasterxml.jackson.annotation.JsonValue;
import io.chatbotctl.core.EnumLabels;

/** How bad a lint finding is: errors fail {@code lint} (exit 1) and block {@code deploy}. */
public enum Severity {
    ERROR,
    WARNING,
    INFO;

    /** The spelling users see in JSON, YAML and tables (stable, documented; see core.EnumLabels). */
    @JsonValue
    @Override
    public String toString() {
        return EnumLabels.lower(this);
    }
}
