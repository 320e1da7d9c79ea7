package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/** Runs the assertions of a case on an answer and scores the case with promptfoo's semantics. */
public final class Checker {
    static final double DEFAULT_KOREAN_SHARE = 0.5;
    static final double DEFAULT_ENGLISH_SHARE = 0.8;

    private final Judge judge;
    private final Embedder embedder;

    /** @param judge for {@code llm-rubric}, or null; @param embedder for {@code similar}, or null */
    public Checker(Judge judge, Embedder embedder) {
        this.judge = judge;
        this.embedder = embedder;
    }

    public List<AssertionResult> check(EvalCase evalCase, Answer answer) {
        List<AssertionResult> results = new ArrayList<>();
        for (AssertionSpec spec : evalCase.assertions()) {
            results.add(check(spec, answer));
        }
        return results;
    }

    public AssertionResult check(AssertionSpec spec, Answer answer) {
        String out = answer.text() == null ? "" : answer.text();
        JsonNode value = spec.value();
        return switch (spec.type()) {
            case "equals" -> AssertionResult.of(spec, out.equals(value.asText()), quote("equals", value.asText(), out.equals(value.asText())));
            case "contains" -> contains(spec, out, value.asText(), false);
            case "icontains" -> contains(spec, out, value.asText(), true);
            case "contains-any" -> containsList(spec, out, value, false, false);
            case "contains-all" -> containsList(spec, out, value, true, false);
            case "icontains-any" -> containsList(spec, out, value, false, true);
            case "icontains-all" -> containsList(spec, out, value, true, true);
            case "starts-with" -> AssertionResult.of(spec, out.startsWith(value.asText()),
                    quote("starts with", value.asText(), out.startsWith(value.asText())));
            case "regex" -> regex(spec, out);
            case "is-json" -> isJson(spec, out);
            case "contains-json" -> containsJson(spec, out);
            case "min-length", "max-length" -> length(spec, answer);
            case "language" -> language(spec, out);
            case "latency" -> latency(spec, answer);
            case "refusal" -> {
                boolean refused = TextSignals.isRefusal(out);
                yield AssertionResult.of(spec, refused, refused ? "the answer declines" : "the answer does not decline");
            }
            case "llm-rubric" -> judge == null
                    ? AssertionResult.error(spec, "llm-rubric needs a judge: pass --judge-endpoint")
                    : judge.grade(spec, value.asText(), out);
            case "similar" -> embedder == null
                    ? AssertionResult.error(spec, "similar needs an embeddings endpoint")
                    : embedder.similar(spec, value.asText(), out);
            default -> AssertionResult.error(spec, "unknown assertion type " + spec.type());
        };
    }

    /**
     * promptfoo's rule: the score is the weighted mean of the assertion scores (weight-0 assertions do not count).
     * With a threshold the case passes when the score reaches it; without one, every assertion must pass. An
     * assertion that could not be decided (error) always fails the case.
     */
    public static Scored score(List<AssertionResult> results, Double threshold) {
        double weights = 0;
        double sum = 0;
        boolean allPass = true;
        boolean anyError = false;
        for (AssertionResult r : results) {
            weights += r.weight();
            sum += r.weight() * r.score();
            allPass &= r.pass();
            anyError |= r.error();
        }
        double score = weights == 0 ? (allPass ? 1 : 0) : sum / weights;
        boolean pass = !anyError && (threshold == null ? allPass : score >= threshold);
        return new Scored(pass, score);
    }

    public record Scored(boolean pass, double score) {
    }

    private static AssertionResult contains(AssertionSpec spec, String out, String expected, boolean ignoreCase) {
        boolean found = ignoreCase ? lower(out).contains(lower(expected)) : out.contains(expected);
        return AssertionResult.of(spec, found, quote("contains", expected, found));
    }

    private static AssertionResult containsList(AssertionSpec spec, String out, JsonNode values, boolean all, boolean ignoreCase) {
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String haystack = ignoreCase ? lower(out) : out;
        for (JsonNode v : values) {
            String needle = ignoreCase ? lower(v.asText()) : v.asText();
            (haystack.contains(needle) ? found : missing).add(v.asText());
        }
        boolean pass = all ? missing.isEmpty() : !found.isEmpty();
        String reason = all ? (missing.isEmpty() ? "contains all of " + found : "missing " + missing)
                : (found.isEmpty() ? "contains none of " + missing : "contains " + found);
        return AssertionResult.of(spec, pass, reason);
    }

    private static AssertionResult regex(AssertionSpec spec, String out) {
        Matcher m = AssertionTypes.compile(spec.value().asText(), spec.flags()).matcher(out);
        boolean found = m.find();
        return AssertionResult.of(spec, found, found ? "matches '" + Judge.abbreviate(m.group()) + "'"
                : "no match for /" + spec.value().asText() + "/" + (spec.flags() == null ? "" : spec.flags()));
    }

    private static AssertionResult isJson(AssertionSpec spec, String out) {
        JsonNode node = JsonChecks.wholeJson(out);
        if (node == null) {
            return AssertionResult.of(spec, false, "the answer is not JSON");
        }
        if (spec.schema() != null) {
            String problem = JsonChecks.validate(JsonChecks.schema(spec.schema()), node);
            if (problem != null) {
                return AssertionResult.of(spec, false, "JSON does not match the schema: " + problem);
            }
        }
        return AssertionResult.of(spec, true, spec.schema() == null ? "the answer is JSON" : "JSON matching the schema");
    }

    private static AssertionResult containsJson(AssertionSpec spec, String out) {
        Schema schema = spec.schema() == null ? null : JsonChecks.schema(spec.schema());
        JsonChecks.Found found = JsonChecks.firstJson(out, schema);
        if (found.node() != null) {
            return AssertionResult.of(spec, true, schema == null ? "contains JSON" : "contains JSON matching the schema");
        }
        return AssertionResult.of(spec, false, found.schemaProblem() == null ? "contains no JSON"
                : "JSON does not match the schema: " + found.schemaProblem());
    }

    private static AssertionResult length(AssertionSpec spec, Answer answer) {
        boolean tokens = "tokens".equals(spec.unit());
        int limit = spec.value().asInt();
        int length;
        if (tokens) {
            if (answer.completionTokens() == null) {
                return AssertionResult.error(spec, "the server reported no token usage to measure the length in tokens");
            }
            length = answer.completionTokens();
        } else {
            length = answer.text().codePointCount(0, answer.text().length());
        }
        boolean min = spec.type().equals("min-length");
        boolean pass = min ? length >= limit : length <= limit;
        String unit = tokens ? " tokens" : " characters";
        return AssertionResult.of(spec, pass, length + unit + (pass ? (min ? " >= " : " <= ") : (min ? " < " : " > ")) + limit);
    }

    private static AssertionResult language(AssertionSpec spec, String out) {
        TextSignals.Letters letters = TextSignals.letters(out);
        boolean korean = spec.value().asText().equals("ko");
        double share = korean ? letters.hangulShare() : letters.latinShare();
        double min = spec.threshold() != null ? spec.threshold() : korean ? DEFAULT_KOREAN_SHARE : DEFAULT_ENGLISH_SHARE;
        boolean pass = letters.total() > 0 && share >= min;
        return AssertionResult.of(spec, pass, (korean ? "Hangul" : "Latin") + " share of letters " + Judge.round(share)
                + (pass ? " >= " : " < ") + min);
    }

    private static AssertionResult latency(AssertionSpec spec, Answer answer) {
        if (answer.cached() || answer.latencyMillis() == null) {
            return AssertionResult.error(spec, "latency is never taken from the cache; run with --no-cache");
        }
        double max = spec.value().asDouble();
        boolean pass = answer.latencyMillis() <= max;
        return AssertionResult.of(spec, pass, Math.round(answer.latencyMillis()) + " ms" + (pass ? " <= " : " > ") + Math.round(max) + " ms");
    }

    private static String quote(String what, String expected, boolean pass) {
        return (pass ? "" : "does not ") + (pass ? what : what.replace("contains", "contain").replace("starts with", "start with").replace("equals", "equal"))
                + " '" + Judge.abbreviate(expected) + "'";
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
