package io.chatbotctl.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chatbotctl.core.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub Actions expressions ({@code ${{ … }}}) as the rehearsal needs them, with GitHub's documented semantics.
 * Facts, from "Evaluate expressions in workflows and actions" (docs.github.com/actions/reference/workflows-and-actions/expressions):
 * <ul>
 *   <li>Literals: {@code true}, {@code false}, {@code null}, JSON numbers, strings in single quotes with {@code ''} for
 *       a quote; double quotes are an error.</li>
 *   <li>Operators: {@code ( ) [ ] . ! < <= > >= == != && ||}. Precedence as in GitHub's parser
 *       (actions/languageservices, expressions): grouping, index/property, {@code !}, comparisons, equality,
 *       {@code &&}, {@code ||}.</li>
 *   <li>Falsy: {@code false, 0, -0, "", null}; everything else truthy. {@code &&} and {@code ||} return an operand,
 *       not a boolean ({@code vars.X || '5m'} is the value of {@code vars.X} when set, else {@code '5m'}).</li>
 *   <li>{@code ==} is loose: different types are coerced to numbers (null → 0, true → 1, a string parsed as a JSON
 *       number, '' → 0, otherwise NaN); strings compare ignoring case; NaN equals nothing.</li>
 *   <li>A property that does not exist is {@code null} (an unset {@code vars.X} or {@code secrets.X} is '').</li>
 *   <li>Status functions {@code success() always() failure() cancelled()}; {@code hashFiles(...)} is '' when no file
 *       matches; {@code format('{0}', x)}, {@code contains}, {@code startsWith}, {@code endsWith}, {@code toJSON},
 *       {@code fromJSON}.</li>
 * </ul>
 * A context or function outside this set fails the rehearsal naming it ({@link RehearsalException}).
 */
final class Expressions {
    private static final Pattern TEMPLATE = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern STATUS_FUNCTION = Pattern.compile("\\b(success|failure|always|cancelled)\\s*\\(");

    /** What an expression can see: contexts by name, and the functions that depend on the run. */
    interface Scope {
        /** The context, or null when the name is not a context here. */
        JsonNode context(String name);

        /** Status of the job so far: "success", "failure" (or "cancelled"). */
        String status();

        /** hashFiles over the workspace: '' when nothing matches. */
        String hashFiles(List<String> patterns);
    }

    private Expressions() {}

    /** Replaces every {@code ${{ … }}} in {@code text} with its value as a string. */
    static String substitute(String text, Scope scope) {
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(asString(evaluate(m.group(1), scope))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * An {@code if:} condition: {@code ${{ }}} optional; without a status function it is {@code success() && (…)}
     * ("a default status check of success() is applied unless you include one of these functions", workflow syntax,
     * jobs.&lt;job_id&gt;.steps[*].if).
     */
    static boolean condition(String text, Scope scope) {
        String expression = text.strip();
        Matcher whole = TEMPLATE.matcher(expression);
        if (whole.matches()) {
            expression = whole.group(1);
        }
        if (!STATUS_FUNCTION.matcher(expression).find()) {
            expression = "success() && (" + expression + ")";
        }
        return truthy(evaluate(expression, scope));
    }

    static JsonNode evaluate(String expression, Scope scope) {
        Parser parser = new Parser(expression, scope);
        JsonNode value = parser.or();
        parser.expectEnd();
        return value;
    }

    static boolean truthy(JsonNode v) {
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.doubleValue() != 0 && !Double.isNaN(v.doubleValue());
        }
        if (v.isTextual()) {
            return !v.textValue().isEmpty();
        }
        return true;
    }

    static String asString(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.booleanValue());
        }
        return v.toPrettyString();
    }

    private static double number(JsonNode v) {
        if (v == null || v.isNull()) {
            return 0;
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? 1 : 0;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            String s = v.textValue().strip();
            if (s.isEmpty()) {
                return 0;
            }
            try {
                return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static boolean looseEquals(JsonNode a, JsonNode b) {
        a = a == null ? NullNode.instance : a;
        b = b == null ? NullNode.instance : b;
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().toLowerCase(Locale.ROOT).equals(b.textValue().toLowerCase(Locale.ROOT));
        }
        if (a.isContainerNode() || b.isContainerNode()) {
            return a == b;
        }
        if (a.getNodeType() == b.getNodeType() && a.isNull()) {
            return true;
        }
        double x = number(a);
        double y = number(b);
        return !Double.isNaN(x) && !Double.isNaN(y) && x == y;
    }

    /** Recursive descent over the expression text. */
    private static final class Parser {
        private final String text;
        private final Scope scope;
        private int pos;

        Parser(String text, Scope scope) {
            this.text = text;
            this.scope = scope;
        }

        JsonNode or() {
            JsonNode left = and();
            while (take("||")) {
                JsonNode right = and();
                left = truthy(left) ? left : right;
            }
            return left;
        }

        JsonNode and() {
            JsonNode left = equality();
            while (take("&&")) {
                JsonNode right = equality();
                left = truthy(left) ? right : left;
            }
            return left;
        }

        JsonNode equality() {
            JsonNode left = comparison();
            while (true) {
                if (take("==")) {
                    left = BooleanNode.valueOf(looseEquals(left, comparison()));
                } else if (take("!=")) {
                    left = BooleanNode.valueOf(!looseEquals(left, comparison()));
                } else {
                    return left;
                }
            }
        }

        JsonNode comparison() {
            JsonNode left = unary();
            while (true) {
                String op = take("<=") ? "<=" : take(">=") ? ">=" : take("<") ? "<" : take(">") ? ">" : null;
                if (op == null) {
                    return left;
                }
                JsonNode right = unary();
                int c;
                if (left.isTextual() && right.isTextual()) {
                    c = left.textValue().compareToIgnoreCase(right.textValue());
                } else {
                    double x = Expressions.number(left);
                    double y = Expressions.number(right);
                    if (Double.isNaN(x) || Double.isNaN(y)) {
                        left = BooleanNode.FALSE;
                        continue;
                    }
                    c = Double.compare(x, y);
                }
                left = BooleanNode.valueOf(switch (op) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                });
            }
        }

        JsonNode unary() {
            if (peek("!") && !peek("!=")) {
                pos = skipSpace() + 1;
                return BooleanNode.valueOf(!truthy(unary()));
            }
            return postfix(primary());
        }

        JsonNode postfix(JsonNode value) {
            while (true) {
                if (take(".")) {
                    String name = identifier();
                    if (name == null) {
                        throw fail("a property name after '.'");
                    }
                    value = property(value, name);
                } else if (take("[")) {
                    JsonNode index = or();
                    expect("]");
                    value = index.isNumber() && value != null && value.isArray() ? value.get(index.intValue())
                            : property(value, asString(index));
                } else {
                    return value == null ? NullNode.instance : value;
                }
            }
        }

        private static JsonNode property(JsonNode value, String name) {
            if (value == null || !value.isObject()) {
                return NullNode.instance;
            }
            // property names are case-insensitive in GitHub's contexts
            var fields = value.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if (f.getKey().equalsIgnoreCase(name)) {
                    return f.getValue();
                }
            }
            return NullNode.instance;
        }

        JsonNode primary() {
            int at = skipSpace();
            if (at >= text.length()) {
                throw fail("a value");
            }
            char c = text.charAt(at);
            if (c == '(') {
                pos = at + 1;
                JsonNode v = or();
                expect(")");
                return v;
            }
            if (c == '\'') {
                return string(at);
            }
            if (c == '"') {
                throw new RehearsalException("expression `" + text.strip() + "`: strings take single quotes (GitHub rejects double quotes)");
            }
            if (Character.isDigit(c) || c == '-' || c == '.') {
                return number(at);
            }
            String name = identifier();
            if (name == null) {
                throw fail("a value");
            }
            switch (name) {
                case "true": return BooleanNode.TRUE;
                case "false": return BooleanNode.FALSE;
                case "null": return NullNode.instance;
                case "NaN": return DoubleNode.valueOf(Double.NaN);
                case "Infinity": return DoubleNode.valueOf(Double.POSITIVE_INFINITY);
                default: break;
            }
            if (take("(")) {
                List<JsonNode> args = new ArrayList<>();
                if (!take(")")) {
                    do {
                        args.add(or());
                    } while (take(","));
                    expect(")");
                }
                return call(name, args);
            }
            JsonNode context = scope.context(name);
            if (context == null) {
                throw new RehearsalException("expression `" + text.strip() + "`: unknown context '" + name
                        + "' (the rehearsal knows " + Rehearsal.CONTEXTS + ")");
            }
            return context;
        }

        private JsonNode call(String name, List<JsonNode> args) {
            Function<Integer, String> arg = i -> i < args.size() ? asString(args.get(i)) : "";
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "success" -> BooleanNode.valueOf(scope.status().equals("success"));
                case "failure" -> BooleanNode.valueOf(scope.status().equals("failure"));
                case "always" -> BooleanNode.TRUE;
                case "cancelled" -> BooleanNode.valueOf(scope.status().equals("cancelled"));
                case "hashfiles" -> TextNode.valueOf(scope.hashFiles(args.stream().map(Expressions::asString).toList()));
                case "contains" -> contains(args);
                case "startswith" -> BooleanNode.valueOf(arg.apply(0).toLowerCase(Locale.ROOT).startsWith(arg.apply(1).toLowerCase(Locale.ROOT)));
                case "endswith" -> BooleanNode.valueOf(arg.apply(0).toLowerCase(Locale.ROOT).endsWith(arg.apply(1).toLowerCase(Locale.ROOT)));
                case "format" -> TextNode.valueOf(format(args));
                case "tojson" -> TextNode.valueOf(args.isEmpty() ? "" : args.get(0).toPrettyString());
                case "fromjson" -> fromJson(arg.apply(0));
                default -> throw new RehearsalException("expression `" + text.strip() + "`: unknown function '" + name + "()'");
            };
        }

        private static JsonNode contains(List<JsonNode> args) {
            JsonNode search = args.isEmpty() ? NullNode.instance : args.get(0);
            JsonNode item = args.size() < 2 ? NullNode.instance : args.get(1);
            if (search.isArray()) {
                for (JsonNode e : search) {
                    if (looseEquals(e, item)) {
                        return BooleanNode.TRUE;
                    }
                }
                return BooleanNode.FALSE;
            }
            return BooleanNode.valueOf(asString(search).toLowerCase(Locale.ROOT).contains(asString(item).toLowerCase(Locale.ROOT)));
        }

        /** format('{0} {1}', a, b); '{{' and '}}' are literal braces. */
        private String format(List<JsonNode> args) {
            String f = args.isEmpty() ? "" : asString(args.get(0));
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < f.length(); i++) {
                char c = f.charAt(i);
                if ((c == '{' || c == '}') && i + 1 < f.length() && f.charAt(i + 1) == c) {
                    out.append(c);
                    i++;
                } else if (c == '{') {
                    int close = f.indexOf('}', i);
                    int index = Integer.parseInt(f.substring(i + 1, close));
                    if (index + 1 >= args.size()) {
                        throw fail("an argument {" + index + "} for format()");
                    }
                    out.append(asString(args.get(index + 1)));
                    i = close;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private static JsonNode fromJson(String s) {
            try {
                return Json.mapper().readTree(s);
            } catch (Exception e) {
                throw new RehearsalException("fromJSON: not JSON: " + s);
            }
        }

        private JsonNode string(int at) {
            StringBuilder s = new StringBuilder();
            int i = at + 1;
            while (true) {
                if (i >= text.length()) {
                    throw fail("a closing quote");
                }
                char c = text.charAt(i);
                if (c == '\'') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        s.append('\'');
                        i += 2;
                        continue;
                    }
                    pos = i + 1;
                    return TextNode.valueOf(s.toString());
                }
                s.append(c);
                i++;
            }
        }

        private JsonNode number(int at) {
            int i = at;
            while (i < text.length() && "0123456789+-.eExXabcdefABCDEF".indexOf(text.charAt(i)) >= 0) {
                i++;
            }
            String literal = text.substring(at, i);
            double value = Expressions.number(TextNode.valueOf(literal));
            if (Double.isNaN(value)) {
                throw fail("a number, not '" + literal + "'");
            }
            pos = i;
            return DoubleNode.valueOf(value);
        }

        private String identifier() {
            int at = skipSpace();
            int i = at;
            while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                    || (i > at && text.charAt(i) == '-'))) {
                i++;
            }
            if (i == at || Character.isDigit(text.charAt(at))) {
                return null;
            }
            pos = i;
            return text.substring(at, i);
        }

        private int skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos;
        }

        private boolean peek(String token) {
            return text.startsWith(token, skipSpace());
        }

        private boolean take(String token) {
            if (peek(token)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!take(token)) {
                throw fail("'" + token + "'");
            }
        }

        void expectEnd() {
            if (skipSpace() < text.length()) {
                throw fail("the end");
            }
        }

        private RehearsalException fail(String expected) {
            return new RehearsalException("expression `" + text.strip() + "`: expected " + expected + " at column " + (pos + 1));
        }
    }

    /** An object node for building contexts. */
    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
