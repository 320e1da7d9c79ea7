package io.chatbotctl.eval;

/**
 * The outcome of one assertion on one answer.
 *
 * @param type   as written, {@code not-} included
 * @param pass   whether it passed
 * @param score  0..1 (1 or 0 for yes/no assertions; the cosine or the judge's score otherwise)
 * @param weight its weight in the case's score
 * @param reason why, in one line
 * @param error  it could not be decided (malformed judge verdict, no embeddings, no token count): it fails,
 *               also when negated
 */
public record AssertionResult(String type, boolean pass, double score, double weight, String reason, boolean error) {

    static AssertionResult of(AssertionSpec spec, boolean basePass, double baseScore, String reason) {
        boolean pass = spec.negated() != basePass;
        double score = spec.negated() ? 1 - baseScore : baseScore;
        return new AssertionResult(spec.displayType(), pass, score, spec.weight(), reason, false);
    }

    static AssertionResult of(AssertionSpec spec, boolean basePass, String reason) {
        return of(spec, basePass, basePass ? 1 : 0, reason);
    }

    static AssertionResult error(AssertionSpec spec, String reason) {
        return new AssertionResult(spec.displayType(), false, 0, spec.weight(), reason, true);
    }
}
