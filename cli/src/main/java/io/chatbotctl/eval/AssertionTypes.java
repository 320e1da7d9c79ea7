package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The assertion types a dataset may use, and the checks of their values done when the dataset is read. */
public final class AssertionTypes {
    public static final List<String> TYPES = List.of(
            "equals", "contains", "icontains", "contains-any", "contains-all", "icontains-any", "icontains-all",
            "regex", "starts-with", "is-json", "contains-json", "min-length", "max-length", "language", "latency",
            "refusal", "llm-rubric", "similar");

    private AssertionTypes() {}

    /** Checks the spec's value for its type; returns an error message or null when it is fine. */
    static String problem(AssertionSpec spec) {
        JsonNode value = spec.value();
        return switch (spec.type()) {
            case "equals", "contains", "icontains", "starts-with", "similar", "llm-rubric" ->
                    value != null && value.isTextual() && !value.asText().isEmpty() ? null : "'value' must be a non-empty text";
            case "contains-any", "contains-all", "icontains-any", "icontains-all" -> texts(value);
            case "regex" -> regex(spec);
            case "min-length", "max-length" -> value != null && value.canConvertToInt() && value.asInt() >= 0
                    ? unit(spec.unit()) : "'value' must be a whole number of characters or tokens";
            case "latency" -> value != null && value.isNumber() && value.asDouble() > 0 ? null : "'value' must be the maximum in milliseconds";
            case "language" -> value != null && (value.asText().equals("ko") || value.asText().equals("en"))
                    ? null : "'value' must be ko or en";
            case "is-json", "contains-json", "refusal" -> null;
            default -> "unknown assertion type '" + spec.displayType() + "' (known: " + String.join(", ", TYPES)
                    + ", each also with not-)";
        };
    }

    private static String texts(JsonNode value) {
        if (value == null || !value.isArray() || value.isEmpty()) {
            return "'value' must be a non-empty list of texts";
        }
        for (JsonNode v : value) {
            if (!v.isTextual()) {
                return "'value' must be a non-empty list of texts";
            }
        }
        return null;
    }

    private static String unit(String unit) {
        return unit == null || unit.equals("chars") || unit.equals("tokens") ? null : "'unit' must be chars or tokens";
    }

    private static String regex(AssertionSpec spec) {
        if (spec.value() == null || !spec.value().isTextual()) {
            return "'value' must be a regular expression";
        }
        try {
            compile(spec.value().asText(), spec.flags());
            return null;
        } catch (IllegalArgumentException e) {
            return "invalid regex: " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    /** Compiles with flags {@code i} (case-insensitive, Unicode), {@code m}, {@code s}, {@code x}, {@code u}. */
    static Pattern compile(String regex, String flags) {
        int bits = 0;
        for (char f : (flags == null ? "" : flags).toCharArray()) {
            bits |= switch (f) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                case 'x' -> Pattern.COMMENTS;
                case 'u' -> Pattern.UNICODE_CHARACTER_CLASS;
                default -> throw new IllegalArgumentException("unknown regex flag '" + f + "' (use i, m, s, x, u)");
            };
        }
        try {
            return Pattern.compile(regex, bits);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription() + " near index " + e.getIndex() + " of " + regex);
        }
    }
}
