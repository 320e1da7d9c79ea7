package io.chatbotctl.sim;

/** One message of a chat request, its content flattened to text. */
public record ChatMessage(String role, String content) {
}
