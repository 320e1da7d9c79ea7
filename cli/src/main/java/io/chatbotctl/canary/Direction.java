package io.chatbotctl.canary;

import com.fasterxml.jackson.annotation.JsonValue;
import io.chatbotctl.core.EnumLabels;

/** Which way a metric goes when the canary is worse. */
public enum Direction {
    /** Higher is worse (latency, errors, queue). */
    INCREASE,
    /** Lower is worse (throughput, success rate). */
    DECREASE;

    /** The spelling users see in JSON, YAML and tables (stable, documented; see core.EnumLabels). */
    @JsonValue
    @Override
    public String toString() {
        return EnumLabels.lower(this);
    }

    /** The direction spelled {@code text} ({@code increase} or {@code decrease}). */
    public static Direction of(String text) {
        for (Direction d : values()) {
            if (d.toString().equals(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no direction " + text);
    }
}
