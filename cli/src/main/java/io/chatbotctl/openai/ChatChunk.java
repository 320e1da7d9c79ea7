package io.chatbotctl.openai;

/**
 * One streamed chunk ({@code chat.completion.chunk}, or a text completion chunk), reduced to what callers use.
 *
 * @param role         {@code delta.role} when present (the first chunk), else null
 * @param content      {@code delta.content} (or {@code text} for text completions); null when absent
 * @param finishReason {@code finish_reason} when present
 * @param usage        the usage block, when present (the usage chunk has empty {@code choices})
 * @param hasChoices   false for the usage-only chunk
 */
public record ChatChunk(String id, String model, String role, String content, String finishReason, Usage usage,
                        boolean hasChoices) {

    /** True when the chunk carries generated text (a role-only first chunk does not). */
    public boolean hasContent() {
        return content != null && !content.isEmpty();
    }
}
