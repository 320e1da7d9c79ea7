package io.chatbotctl.openai;

/** Token counts the server reported. */
public record Usage(int promptTokens, int completionTokens, int totalTokens) {
}
