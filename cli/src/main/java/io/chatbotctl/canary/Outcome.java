package io.chatbotctl.canary;

import io.chatbotctl.core.ExitCode;

/** How a watch ended, and the exit code it maps to. */
public enum Outcome {
    /** Every step passed and the canary was promoted. */
    Promoted(ExitCode.OK),
    /** Every step passed; nothing promoted (dry run, replay, or no --auto-promote). */
    Passed(ExitCode.OK),
    /** Failed and rolled back. */
    RolledBack(ExitCode.CHECK_FAILED),
    /** Failed; left as it is (no --auto-rollback, dry run or replay). */
    Failed(ExitCode.CHECK_FAILED),
    /** Not enough data to decide. */
    Inconclusive(ExitCode.INCONCLUSIVE),
    /** Prometheus could not be reached after retries: inconclusive, and nothing promoted. */
    PrometheusUnreachable(ExitCode.EXTERNAL_FAILURE);

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
