package io.chatbotctl.manifest;

import io.chatbotctl.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The series selectors of a PromQL expression: metric names and their label matchers. A small lexer, not a parser
 * (no Java PromQL parser is published on Maven Central): it knows PromQL's keywords, function calls, grouping
 * clauses ({@code by}, {@code on}, ...), ranges and strings, which is all it takes to find the selectors. Syntax
 * errors it does not see are promtool's job (the tests feed every shipped expression to it).
 */
public final class PromqlSelectors {
    private PromqlSelectors() {}

    /** {@code label op "value"}, e.g. {@code status=~"5.."}. */
    public record Matcher(String label, String op, String value) {
    }

    /** One vector selector; {@code metric} is null for {@code {__name__=...}}-only selectors without a literal name. */
    public record Selector(String metric, List<Matcher> matchers) {
    }

    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
            "start", "end");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

    public static List<Selector> of(String expr) {
        List<String> tokens = tokens(expr);
        List<Selector> selectors = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            if (t.equals("[")) {
                i = skipTo(tokens, i, "[", "]", expr);
            } else if (isIdentifier(t)) {
                String lower = t.toLowerCase(java.util.Locale.ROOT);
                if (GROUPING.contains(lower)) {
                    if (next.equals("(")) {
                        i = skipTo(tokens, i + 1, "(", ")", expr);
                    }
                } else if (lower.equals("offset")) {
                    i++;
                } else if (KEYWORDS.contains(lower) || next.equals("(")
                        || (AGGREGATIONS.contains(lower) && GROUPING.contains(next.toLowerCase(java.util.Locale.ROOT)))) {
                    // an operator keyword, a literal, or a function / aggregation call
                } else if (next.equals("{")) {
                    int end = skipTo(tokens, i + 1, "{", "}", expr);
                    selectors.add(new Selector(t, matchers(tokens.subList(i + 2, end), expr)));
                    i = end;
                } else {
                    selectors.add(new Selector(t, List.of()));
                }
            } else if (t.equals("{")) {
                int end = skipTo(tokens, i, "{", "}", expr);
                List<Matcher> ms = matchers(tokens.subList(i + 1, end), expr);
                String name = ms.stream().filter(m -> m.label().equals("__name__") && m.op().equals("="))
                        .map(Matcher::value).findFirst().orElse(null);
                selectors.add(new Selector(name, ms));
                i = end;
            }
        }
        return selectors;
    }

    private static List<Matcher> matchers(List<String> tokens, String expr) {
        List<Matcher> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            if (tokens.get(i).equals(",")) {
                i++;
                continue;
            }
            if (i + 2 >= tokens.size() || !isIdentifier(tokens.get(i)) || !isString(tokens.get(i + 2))
                    || !Set.of("=", "!=", "=~", "!~").contains(tokens.get(i + 1))) {
                throw new InvalidInputException("not a label matcher at '" + String.join(" ", tokens.subList(i, tokens.size()))
                        + "' in " + expr);
            }
            out.add(new Matcher(tokens.get(i), tokens.get(i + 1), unquote(tokens.get(i + 2))));
            i += 3;
        }
        return out;
    }

    private static int skipTo(List<String> tokens, int open, String opening, String closing, String expr) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).equals(opening)) {
                depth++;
            } else if (tokens.get(i).equals(closing) && --depth == 0) {
                return i;
            }
        }
        throw new InvalidInputException("unbalanced '" + opening + "' in " + expr);
    }

    static boolean isIdentifier(String t) {
        char c = t.charAt(0);
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isString(String t) {
        char c = t.charAt(0);
        return c == '"' || c == '\'' || c == '`';
    }

    private static String unquote(String s) {
        String body = s.substring(1, s.length() - 1);
        if (s.charAt(0) == '`') {
            return body;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char e = body.charAt(++i);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Identifiers, numbers/durations, strings and one- or two-character operators; comments and blanks dropped. */
    static List<String> tokens(String expr) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                int j = i + 1;
                while (j < n && expr.charAt(j) != c) {
                    j += expr.charAt(j) == '\\' && c != '`' ? 2 : 1;
                }
                if (j >= n) {
                    throw new InvalidInputException("unterminated string in " + expr);
                }
                out.add(expr.substring(i, j + 1));
                i = j + 1;
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '_' || expr.charAt(j) == ':')) {
                    j++;
                }
                out.add(expr.substring(i, j));
                i = j;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '.'
                        || ((expr.charAt(j) == '+' || expr.charAt(j) == '-')
                        && (expr.charAt(j - 1) == 'e' || expr.charAt(j - 1) == 'E')))) {
                    j++;
                }
                out.add(expr.substring(i, j));
                i = j;
            } else {
                String two = i + 1 < n ? expr.substring(i, i + 2) : "";
                if (Set.of("=~", "!~", "!=", "==", "<=", ">=").contains(two)) {
                    out.add(two);
                    i += 2;
                } else {
                    out.add(String.valueOf(c));
                    i++;
                }
            }
        }
        return out;
    }
}
