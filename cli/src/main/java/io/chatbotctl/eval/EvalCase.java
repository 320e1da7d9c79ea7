package io.chatbotctl.eval;

import io.chatbotctl.openai.ChatMessage;

import java.util.List;

/**
 * One eval case from a JSONL dataset.
 *
 * @param id         unique across the datasets of a run; baselines are paired on it
 * @param category   e.g. {@code refund}; thresholds can set a minimum pass rate per category
 * @param severity   {@code critical}, {@code major} or {@code minor}; a failing critical case fails the gate
 * @param messages   the conversation sent (single or multi-turn); the system prompt is put in front when given
 * @param assertions checks on the answer
 * @param threshold  minimum weighted score to pass; null = every assertion must pass
 * @param source     {@code file:line} it came from, for messages
 */
public record EvalCase(String id, String category, String severity, List<ChatMessage> messages,
                       List<AssertionSpec> assertions, Double threshold, String source) {

    public static final List<String> SEVERITIES = List.of("critical", "major", "minor");

    public EvalCase {
        messages = List.copyOf(messages);
        assertions = List.copyOf(assertions);
    }

    public boolean usesType(String type) {
        return assertions.stream().anyMatch(a -> a.type().equals(type));
    }
}
