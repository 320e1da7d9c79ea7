package io.chatbotctl.canary;

import com.fasterxml.jackson.annotation.JsonValue;
import io.chatbotctl.core.EnumLabels;
import io.chatbotctl.core.ExitCode;

/** How a watch ended, and the exit code it maps to. */
public enum Outcome {
    /** Every step passed and the canary was promoted. */
    PROMOTED(ExitCode.OK),
    /** Every step passed; nothing promoted (dry run, replay, or no --auto-promote). */
    PASSED(ExitCode.OK),
    /** Failed and rolled back. */
    ROLLED_BACK(ExitCode.CHECK_FAILED),
    /** Failed; left as it is (no --auto-rollback, dry run or replay). */
    FAILED(ExitCode.CHECK_FAILED),
    /** Not enough data to decide. */
    INCONCLUSIVE(ExitCode.INCONCLUSIVE),
    /** Prometheus could not be reached after retries: inconclusive, and nothing promoted. */
    PROMETHEUS_UNREACHABLE(ExitCode.EXTERNAL_FAILURE);

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The spelling users see in JSON, YAML and tables (stable, documented; see core.EnumLabels). */
    @JsonValue
    @Override
    public String toString() {
        return EnumLabels.pascal(this);
    }

    public int exitCode() {
        return exitCode;
    }
}
