package io.chatbotctl.eval;

/**
 * One rule of the gate and how the results fared.
 *
 * @param name   e.g. {@code pass rate}, {@code category refund}, {@code baseline flips}
 * @param status {@code pass}, {@code fail} or {@code inconclusive}
 * @param actual the measured value, formatted
 * @param limit  the rule, formatted
 * @param detail the cases behind a failure, or why it could not be decided
 */
public record GateCheck(String name, String status, String actual, String limit, String detail) {
    public static final String PASS = "pass";
    public static final String FAIL = "fail";
    public static final String INCONCLUSIVE = "inconclusive";

    static GateCheck of(String name, boolean pass, String actual, String limit, String detail) {
        return new GateCheck(name, pass ? PASS : FAIL, actual, limit, pass ? "" : detail);
    }

    static GateCheck inconclusive(String name, String actual, String limit, String detail) {
        return new GateCheck(name, INCONCLUSIVE, actual, limit, detail);
    }
}
