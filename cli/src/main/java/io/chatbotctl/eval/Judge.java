package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.openai.ChatMessage;
import io.chatbotctl.openai.ChatRequest;
import io.chatbotctl.openai.OpenAiClient;
import io.chatbotctl.openai.OpenAiException;

import java.util.List;
import java.util.Map;

/**
 * The {@code llm-rubric} grader: asks a judge model over any OpenAI-compatible endpoint, at temperature 0, for a
 * strict JSON verdict {@code {"pass": bool, "score": 0..1, "reason": "..."}}. An answer that is not exactly such
 * an object (extra text, no boolean {@code pass}, a score outside 0..1) is a malformed verdict, and the assertion
 * fails: a verdict we cannot read never passes.
 */
public final class Judge {
    static final String SYSTEM = """
            You grade answers of a customer-support chatbot against a rubric.
            Reply with one JSON object and nothing else: {"pass": true|false, "score": number from 0 to 1, "reason": "one sentence"}.""";

    private final OpenAiClient client;
    private final String model;
    private final long seed;
    private final Retrier retrier;

    public Judge(OpenAiClient client, String model, long seed, Retrier retrier) {
        this.client = client;
        this.model = model;
        this.seed = seed;
        this.retrier = retrier;
    }

    public String model() {
        return model;
    }

    AssertionResult grade(AssertionSpec spec, String rubric, String output) {
        ChatRequest request = ChatRequest.of(model, List.of(ChatMessage.system(SYSTEM),
                        ChatMessage.user("Rubric:\n" + rubric + "\n\nAnswer to grade:\n" + output)))
                .withTemperature(0.0).withSeed(seed).withMaxTokens(256)
                .withExtra(Map.of("response_format", Map.of("type", "json_object")));
        String content;
        try {
            content = retrier.call(() -> client.chat(request)).content();
        } catch (OpenAiException e) {
            return AssertionResult.error(spec, "judge unavailable: " + e.getMessage());
        }
        return verdict(spec, content);
    }

    static AssertionResult verdict(AssertionSpec spec, String content) {
        String text = content == null ? "" : content.strip();
        JsonNode node = text.isEmpty() ? null : JsonChecks.wholeJson(text);
        if (node == null || !node.isObject()) {
            return AssertionResult.error(spec, "malformed judge verdict (not a JSON object): " + abbreviate(text));
        }
        JsonNode pass = node.get("pass");
        if (pass == null || !pass.isBoolean()) {
            return AssertionResult.error(spec, "malformed judge verdict (no boolean 'pass'): " + abbreviate(text));
        }
        JsonNode scoreNode = node.get("score");
        double score = pass.asBoolean() ? 1 : 0;
        if (scoreNode != null && !scoreNode.isNull()) {
            if (!scoreNode.isNumber() || scoreNode.asDouble() < 0 || scoreNode.asDouble() > 1) {
                return AssertionResult.error(spec, "malformed judge verdict ('score' not in 0..1): " + abbreviate(text));
            }
            score = scoreNode.asDouble();
        }
        boolean passed = pass.asBoolean() && (spec.threshold() == null || score >= spec.threshold());
        String reason = "judge: " + (pass.asBoolean() ? "pass" : "fail") + ", score " + round(score)
                + (node.hasNonNull("reason") ? ": " + abbreviate(node.get("reason").asText()) : "");
        return AssertionResult.of(spec, passed, score, reason);
    }

    static String round(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 120 ? one : one.substring(0, 117) + "...";
    }
}
