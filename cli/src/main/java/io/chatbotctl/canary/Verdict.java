package io.chatbotctl.canary;

import com.fasterxml.jackson.annotation.JsonValue;
import io.chatbotctl.core.EnumLabels;

/** One interval's verdict. Inconclusive means not enough data to decide; it never counts as a pass. */
public enum Verdict {
    PASS,
    MARGINAL,
    FAIL,
    INCONCLUSIVE;

    /** The spelling users see in JSON, YAML and tables (stable, documented; see core.EnumLabels). */
    @JsonValue
    @Override
    public String toString() {
        return EnumLabels.pascal(this);
    }
}
