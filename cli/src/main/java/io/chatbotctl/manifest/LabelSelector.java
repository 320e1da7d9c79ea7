package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;

/** Kubernetes label selector strings: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a)}, {@code k}, {@code !k}. */
final class LabelSelector {
    private LabelSelector() {}

    static boolean matches(String selector, JsonNode labels) {
        for (String term : split(selector)) {
            if (!matchesTerm(term.trim(), labels)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesTerm(String term, JsonNode labels) {
        if (term.isEmpty()) {
            return true;
        }
        String lower = term.replaceAll("\\s+", " ");
        int in = lower.indexOf(" in ");
        int notin = lower.indexOf(" notin ");
        if (notin > 0) {
            return !values(lower.substring(notin + 7)).contains(labels.path(lower.substring(0, notin).trim()).asText(null));
        }
        if (in > 0) {
            return values(lower.substring(in + 4)).contains(labels.path(lower.substring(0, in).trim()).asText(null));
        }
        if (term.contains("!=")) {
            String[] kv = term.split("!=", 2);
            return !kv[1].trim().equals(labels.path(kv[0].trim()).asText(null));
        }
        if (term.contains("=")) {
            String[] kv = term.split("==?", 2);
            return kv[1].trim().equals(labels.path(kv[0].trim()).asText(null));
        }
        if (term.startsWith("!")) {
            return !labels.has(term.substring(1).trim());
        }
        return labels.has(term);
    }

    private static List<String> values(String set) {
        String inner = set.trim().replaceAll("^\\(|\\)$", "");
        return Arrays.stream(inner.split(",")).map(String::trim).toList();
    }

    /** Splits on commas outside parentheses. */
    private static List<String> split(String selector) {
        List<String> terms = new java.util.ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : selector.toCharArray()) {
            if (c == '(') depth++;
            if (c == ')') depth--;
            if (c == ',' && depth == 0) {
                terms.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        terms.add(current.toString());
        return terms;
    }
}
