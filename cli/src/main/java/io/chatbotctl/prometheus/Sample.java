package io.chatbotctl.prometheus;

import java.time.Instant;
import java.util.Map;

/** One value of an instant query: a series' labels, the evaluation time and the value (NaN and ±Inf included). */
public record Sample(Map<String, String> labels, Instant time, double value) {
}
