package io.chatbotctl.openai;

/**
 * A whole answer: from a non-streaming call, or assembled from a stream.
 *
 * @param content      the assistant's text
 * @param finishReason {@code stop}, {@code length}, …
 * @param usage        token counts, or null when the server sent none
 */
public record ChatCompletion(String id, String model, String content, String finishReason, Usage usage) {
}
