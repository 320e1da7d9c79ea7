package io.chatbotctl.openai;

import java.util.List;
import java.util.Map;

/**
 * A chat completion request. Null fields are left out of the JSON body, so the server's defaults apply.
 *
 * @param model        model id as listed by {@code /v1/models}
 * @param messages     the conversation
 * @param maxTokens    {@code max_tokens}
 * @param temperature  {@code temperature}
 * @param seed         {@code seed}
 * @param includeUsage when streaming, ask for the final usage chunk ({@code stream_options.include_usage})
 * @param extra        further body fields passed as they are (e.g. {@code top_p}, {@code ignore_eos})
 */
public record ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, Long seed,
                          boolean includeUsage, Map<String, Object> extra) {

    public ChatRequest {
        messages = List.copyOf(messages);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, messages, null, null, null, true, Map.of());
    }

    public ChatRequest withMaxTokens(Integer value) {
        return new ChatRequest(model, messages, value, temperature, seed, includeUsage, extra);
    }

    public ChatRequest withTemperature(Double value) {
        return new ChatRequest(model, messages, maxTokens, value, seed, includeUsage, extra);
    }

    public ChatRequest withSeed(Long value) {
        return new ChatRequest(model, messages, maxTokens, temperature, value, includeUsage, extra);
    }

    public ChatRequest withExtra(Map<String, Object> value) {
        return new ChatRequest(model, messages, maxTokens, temperature, seed, includeUsage, value);
    }
}
