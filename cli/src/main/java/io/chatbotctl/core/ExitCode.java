package io.chatbotctl.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** The process exit codes of every chatbotctl command (design.md, "Exit codes"). */
public final class ExitCode {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int BAD_INPUT = 3;
    public static final int EXTERNAL_FAILURE = 4;
    public static final int INCONCLUSIVE = 5;
    public static final int INTERRUPTED = 130;

    private ExitCode() {}

    /** Code to one-line meaning, in the order shown by {@code --help}. */
    public static Map<Integer, String> descriptions() {
        Map<Integer, String> codes = new LinkedHashMap<>();
        codes.put(OK, "success; gate passed; canary promoted");
        codes.put(CHECK_FAILED, "a check failed: gate, SLO, lint error, canary rolled back, diff found changes");
        codes.put(USAGE, "usage error");
        codes.put(BAD_INPUT, "bad input: unreadable or invalid file, flag value out of range");
        codes.put(EXTERNAL_FAILURE, "an external system failed or could not be reached: cluster, S3, Prometheus, endpoint");
        codes.put(INCONCLUSIVE, "inconclusive: not enough data to decide (canary, gate)");
        codes.put(INTERRUPTED, "interrupted");
        return codes;
    }
}
