package io.chatbotctl.runbook;

import io.chatbotctl.core.Durations;
import io.chatbotctl.core.InvalidInputException;

import java.time.Duration;
import java.util.Map;

/** Typed access to a step's {@code with:} parameters. */
final class Params {
    private Params() {}

    static double number(Map<String, Object> params, String name, double fallback) {
        Object value = params.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(value.toString());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("runbook parameter " + name + " is not a number: " + value);
        }
    }

    static String text(Map<String, Object> params, String name, String fallback) {
        Object value = params.get(name);
        return value == null ? fallback : value.toString();
    }

    static boolean flag(Map<String, Object> params, String name, boolean fallback) {
        Object value = params.get(name);
        return value == null ? fallback : Boolean.parseBoolean(value.toString());
    }

    static Duration duration(Map<String, Object> params, String name, Duration fallback) {
        Object value = params.get(name);
        return value == null ? fallback : Durations.parse(value.toString());
    }

    /** PromQL label matchers from {@code selector}, with {@code {namespace}} replaced by the service's namespace. */
    static String selector(Map<String, Object> params, RunContext context) {
        return text(params, "selector", "").replace("{namespace}", context.namespace);
    }

    /** A duration as PromQL writes it: {@code 5m}, {@code 90s}. */
    static String promRange(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }
}
