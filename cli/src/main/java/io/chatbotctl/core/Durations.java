package io.chatbotctl.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations on the command line and in files: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1m30s}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");

    private Durations() {}

    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new InvalidInputException("empty duration", "write it like 250ms, 30s, 5m or 1h");
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            double value = Double.parseDouble(m.group(1));
            nanos += (long) (value * unitNanos(m.group(2)));
            end = m.end();
        }
        if (end != s.length() || end == 0) {
            throw new InvalidInputException("invalid duration '" + text + "'", "write it like 250ms, 30s, 5m or 1h");
        }
        return Duration.ofNanos(nanos);
    }

    /** The shortest exact human form: {@code 1.5s}, {@code 250ms}, {@code 5m}, {@code 1h30m}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos % 60_000_000_000L == 0) {
            long minutes = nanos / 60_000_000_000L;
            long h = minutes / 60;
            long m = minutes % 60;
            return (h > 0 ? h + "h" : "") + (m > 0 ? m + "m" : "");
        }
        if (nanos >= 1_000_000_000L) {
            return trim(nanos / 1e9) + "s";
        }
        if (nanos >= 1_000_000L) {
            return trim(nanos / 1e6) + "ms";
        }
        return trim(nanos / 1e3) + "us";
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            case "d" -> 86400e9;
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
