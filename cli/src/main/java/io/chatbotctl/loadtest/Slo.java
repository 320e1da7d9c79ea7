package io.chatbotctl.loadtest;

import io.chatbotctl.core.Durations;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Percentages;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service-level objective, written like {@code ttft.p99<=2s}, {@code e2e.p95<=10s}, {@code itl.p99<=100ms},
 * {@code tpot.mean<=50ms}, {@code error_rate<=1%} or {@code requests_per_second>=5}.
 *
 * @param text      as the user wrote it
 * @param metric    {@code ttft}, {@code itl}, {@code tpot}, {@code e2e}, {@code ttft_service}, {@code e2e_service},
 *                  {@code error_rate}, {@code requests_per_second}, {@code output_tokens_per_second}
 * @param statistic {@code p50} … {@code p99.9}, {@code max}, {@code mean} for latencies; null otherwise
 * @param operator  {@code <=}, {@code <}, {@code >=} or {@code >}
 * @param threshold milliseconds for latencies, a fraction for {@code error_rate}, per second for throughputs
 */
public record Slo(String text, String metric, String statistic, String operator, double threshold) {
    static final List<String> LATENCIES = List.of("ttft", "itl", "tpot", "e2e", "ttft_service", "e2e_service");
    static final List<String> STATISTICS = List.of("p50", "p90", "p95", "p99", "p99.9", "max", "mean");
    private static final List<String> RATES = List.of("error_rate", "requests_per_second", "output_tokens_per_second");
    private static final Pattern FORM = Pattern.compile("\\s*([a-z][a-z0-9_]*)(?:\\.(p\\d+(?:\\.\\d+)?|max|mean))?\\s*(<=|>=|<|>)\\s*(\\S+)\\s*");

    public static Slo parse(String text) {
        Matcher m = FORM.matcher(text.toLowerCase(Locale.ROOT));
        String hint = "write it like ttft.p99<=2s, itl.p99<=100ms, e2e.p95<=10s or error_rate<=1%";
        if (!m.matches()) {
            throw new InvalidInputException("invalid SLO '" + text + "'", hint);
        }
        String metric = m.group(1);
        String statistic = m.group(2);
        String operator = m.group(3);
        String value = m.group(4);
        if (LATENCIES.contains(metric)) {
            if (statistic == null || !STATISTICS.contains(statistic)) {
                throw new InvalidInputException("SLO '" + text + "' needs a statistic: " + metric + ".p99, .p95, .p50, .max or .mean", hint);
            }
            double millis = Durations.parse(value).toNanos() / 1e6;
            return new Slo(text.strip(), metric, statistic, operator, millis);
        }
        if (!RATES.contains(metric) || statistic != null) {
            throw new InvalidInputException("unknown SLO metric in '" + text + "'",
                    "metrics: " + String.join(", ", LATENCIES) + ", " + String.join(", ", RATES));
        }
        double threshold;
        if (metric.equals("error_rate")) {
            threshold = Percentages.parseFraction(value);
        } else {
            try {
                threshold = Double.parseDouble(value.replace("/s", ""));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("invalid number in SLO '" + text + "'", hint);
            }
        }
        return new Slo(text.strip(), metric, null, operator, threshold);
    }

    public boolean latency() {
        return statistic != null;
    }

    boolean holds(double observed) {
        return switch (operator) {
            case "<=" -> observed <= threshold;
            case "<" -> observed < threshold;
            case ">=" -> observed >= threshold;
            default -> observed > threshold;
        };
    }

    /** Whether one request meets this SLO (for goodput); SLOs that are not about one request's latency always hold. */
    boolean holdsFor(double ttftMillis, double e2eMillis, double tpotMillis, double meanItlMillis,
                     double ttftServiceMillis, double e2eServiceMillis) {
        if (!latency() || operator.startsWith(">")) {
            return true;
        }
        double value = switch (metric) {
            case "ttft" -> ttftMillis;
            case "e2e" -> e2eMillis;
            case "tpot" -> tpotMillis;
            case "itl" -> meanItlMillis;
            case "ttft_service" -> ttftServiceMillis;
            default -> e2eServiceMillis;
        };
        return Double.isNaN(value) || holds(value);
    }
}
