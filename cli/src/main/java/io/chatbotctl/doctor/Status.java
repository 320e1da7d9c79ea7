package io.chatbotctl.doctor;

import com.fasterxml.jackson.annotation.JsonValue;
import io.chatbotctl.core.EnumLabels;

/** A check's verdict: {@code ok}, {@code warn} (works, with a caveat or an input missing) or {@code fail}. */
public enum Status {
    OK, WARN, FAIL;

    /** The worse of the two. */
    public Status worst(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    @JsonValue
    @Override
    public String toString() {
        return EnumLabels.lower(this);
    }
}
