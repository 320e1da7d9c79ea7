package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.IoErrors;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Answers chosen from the last user message: the first rule that matches wins, then the default answer, then the
 * built-in support answer in the message's language (Korean when it contains Hangul, English otherwise).
 * {@code contains} matches a substring ignoring case; {@code regex} is a Java regular expression found anywhere.
 */
public final class ResponseRules {
    static final String KOREAN = "안녕하세요, 고객지원 챗봇입니다. 문의하신 내용을 확인했습니다. 주문 번호와 가입하신 이메일 주소를 "
            + "알려주시면 배송 상태와 환불 가능 여부를 바로 확인해 드리겠습니다. 추가로 궁금한 점이 있으시면 언제든지 말씀해 주세요. ";
    static final String ENGLISH = "Thanks for contacting customer support. I have looked into your request. Please share "
            + "your order number and the email address on your account, and I will check the delivery status and "
            + "whether a refund is possible right away. Let me know if there is anything else I can help with. ";

    /** One rule. Exactly one of {@code contains} and {@code regex} is set. */
    public record Rule(String contains, Pattern regex, String answer) {
        boolean matches(String message) {
            if (regex != null) {
                return regex.matcher(message).find();
            }
            return message.toLowerCase(Locale.ROOT).contains(contains.toLowerCase(Locale.ROOT));
        }
    }

    /** The chosen answer; {@code builtIn} answers are repeated to any length, rule answers are exact. */
    public record Answer(String text, boolean builtIn) {
    }

    private final List<Rule> rules;
    private final String defaultAnswer;

    public ResponseRules(List<Rule> rules, String defaultAnswer) {
        this.rules = List.copyOf(rules);
        this.defaultAnswer = defaultAnswer;
    }

    public static ResponseRules builtIn() {
        return new ResponseRules(List.of(), null);
    }

    public Answer answer(String lastUserMessage) {
        String message = lastUserMessage == null ? "" : lastUserMessage;
        for (Rule rule : rules) {
            if (rule.matches(message)) {
                return new Answer(rule.answer(), false);
            }
        }
        if (defaultAnswer != null) {
            return new Answer(defaultAnswer, false);
        }
        return new Answer(containsHangul(message) ? KOREAN : ENGLISH, true);
    }

    static boolean containsHangul(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads a rules file. YAML: {@code rules: [{contains|regex, answer}], default: TEXT}. JSONL (by the
     * {@code .jsonl} extension): one rule object per line, and optionally one line {@code {"default": TEXT}}.
     */
    public static ResponseRules load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read responses file " + file + ": " + IoErrors.reason(e),
                    "check the path given to --responses");
        }
        return file.getFileName().toString().endsWith(".jsonl") ? parseJsonl(file, text) : parseYaml(file, text);
    }

    private static ResponseRules parseYaml(Path file, String text) {
        JsonNode root;
        try {
            root = Json.yaml().readTree(text);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": not valid YAML: " + firstLine(e.getMessage()),
                    "write rules: [{contains: TEXT, answer: TEXT}, {regex: RE, answer: TEXT}] and default: TEXT");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file + ": expected a mapping with 'rules' and 'default'");
        }
        List<Rule> rules = new ArrayList<>();
        JsonNode list = root.path("rules");
        if (!list.isMissingNode() && !list.isArray()) {
            throw new InvalidInputException(file + ": 'rules' must be a list");
        }
        int n = 1;
        for (JsonNode node : list) {
            rules.add(rule(file, "rule " + n++, node));
        }
        return new ResponseRules(rules, defaultAnswer(file, root.get("default")));
    }

    private static ResponseRules parseJsonl(Path file, String text) {
        List<Rule> rules = new ArrayList<>();
        String defaultAnswer = null;
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new InvalidInputException(file + ":" + (i + 1) + ": not valid JSON: " + Json.problem(e));
            } catch (IOException e) {
                throw new InvalidInputException(file + ":" + (i + 1) + ": not valid JSON: " + firstLine(e.getMessage()));
            }
            if (node.has("default") && !node.has("answer")) {
                defaultAnswer = defaultAnswer(file, node.get("default"));
            } else {
                rules.add(rule(file, "line " + (i + 1), node));
            }
        }
        return new ResponseRules(rules, defaultAnswer);
    }

    private static Rule rule(Path file, String where, JsonNode node) {
        String contains = text(node, "contains");
        String regex = text(node, "regex");
        String answer = text(node, "answer");
        if ((contains == null) == (regex == null)) {
            throw new InvalidInputException(file + ": " + where + ": give exactly one of 'contains' and 'regex'");
        }
        if (answer == null) {
            throw new InvalidInputException(file + ": " + where + ": 'answer' is missing");
        }
        try {
            return new Rule(contains, regex == null ? null : Pattern.compile(regex), answer);
        } catch (PatternSyntaxException e) {
            throw new InvalidInputException(file + ": " + where + ": invalid regex: " + firstLine(e.getMessage()));
        }
    }

    private static String defaultAnswer(Path file, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new InvalidInputException(file + ": 'default' must be a text");
        }
        return node.asText();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
