package io.chatbotctl.canary;

import com.fasterxml.jackson.annotation.JsonValue;
import io.chatbotctl.core.EnumLabels;

/** Kayenta's metric classes: canary the same as stable, significantly higher, significantly lower, or not enough data. */
public enum MetricClass {
    PASS,
    HIGH,
    LOW,
    NO_DATA;

    /** The spelling users see in JSON, YAML and tables (stable, documented; see core.EnumLabels). */
    @JsonValue
    @Override
    public String toString() {
        return EnumLabels.pascal(this);
    }
}
