package io.chatbotctl.eval;

import java.util.List;

/**
 * One case's outcome in one repetition.
 *
 * @param id            the case id
 * @param repeat        1..N with {@code --repeat N}
 * @param category      from the case's metadata
 * @param severity      from the case's metadata
 * @param input         the last user message, for reading the results
 * @param status        {@code pass}, {@code fail} (a quality failure) or {@code error} (no answer: infrastructure)
 * @param score         weighted score 0..1; null for {@code error}
 * @param threshold     the case's threshold, or null (every assertion must pass)
 * @param latencyMillis request to whole answer; null when cached or errored
 * @param cached        the answer came from the response cache
 * @param attempts      requests sent (1 + retries used)
 * @param answer        the model's answer; null for {@code error}
 * @param error         why no answer was had, for {@code error}
 * @param assertions    each assertion's outcome
 */
public record CaseResult(String id, int repeat, String category, String severity, String input, String status, Double score,
                         Double threshold, Double latencyMillis, boolean cached, int attempts, String answer,
                         String error, List<AssertionResult> assertions) {

    public static final String PASS = "pass";
    public static final String FAIL = "fail";
    public static final String ERROR = "error";

    public boolean passed() {
        return PASS.equals(status);
    }

    public boolean failed() {
        return FAIL.equals(status);
    }

    public boolean errored() {
        return ERROR.equals(status);
    }

    /** The failing assertions' reasons, or the error, in one line. */
    public String why() {
        if (errored()) {
            return error;
        }
        StringBuilder sb = new StringBuilder();
        for (AssertionResult a : assertions) {
            if (!a.pass()) {
                sb.append(sb.isEmpty() ? "" : "; ").append(a.type()).append(": ").append(a.reason());
            }
        }
        return sb.toString();
    }

    /** The name in reports: the id, with {@code #repeat} when the run repeated cases. */
    public String displayId(boolean repeated) {
        return repeated ? id + "#" + repeat : id;
    }
}
