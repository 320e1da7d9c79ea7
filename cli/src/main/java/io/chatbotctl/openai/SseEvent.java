package io.chatbotctl.openai;

/**
 * One server-sent event.
 *
 * @param type  the {@code event:} field, or {@code message} when absent
 * @param data  the {@code data:} lines joined with {@code \n}
 * @param nanos {@link System#nanoTime()} when the blank line that ends the event was read
 */
public record SseEvent(String type, String data, long nanos) {
}
