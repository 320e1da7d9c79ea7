package io.chatbotctl.openai;

/**
 * A stream that ended with {@code data: [DONE]}.
 *
 * @param completion       the assembled answer
 * @param chunks           chunks received (role, content, finish and usage chunks)
 * @param contentChunks    chunks that carried text
 * @param startNanos       when the request was sent
 * @param firstContentNanos when the first chunk with non-empty content arrived; 0 when none did
 * @param endNanos         when {@code [DONE]} arrived
 */
public record StreamResult(ChatCompletion completion, int chunks, int contentChunks, long startNanos,
                           long firstContentNanos, long endNanos) {
}
