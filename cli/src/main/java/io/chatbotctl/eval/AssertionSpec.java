package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One assertion of a case, as written in the dataset.
 *
 * @param type      the base type ({@code contains}, {@code regex}, …) without the {@code not-} prefix
 * @param negated   written with {@code not-}: passes when the base assertion fails (an errored one still fails)
 * @param value     the expected value: text, list of texts, number, rubric … depending on the type
 * @param weight    weight in the case's score (promptfoo semantics; default 1, 0 = reported but not scored)
 * @param threshold type-specific: minimum Hangul/Latin share for {@code language}, minimum cosine for
 *                  {@code similar}, minimum judge score for {@code llm-rubric}; null for the default
 * @param flags     regex flags ({@code i m s x u})
 * @param unit      {@code chars} (default) or {@code tokens} for min/max-length
 * @param schema    JSON Schema for {@code contains-json} and {@code is-json}, or null
 */
public record AssertionSpec(String type, boolean negated, JsonNode value, double weight, Double threshold,
                            String flags, String unit, JsonNode schema) {

    /** The type as written, {@code not-} included. */
    public String displayType() {
        return negated ? "not-" + type : type;
    }
}
