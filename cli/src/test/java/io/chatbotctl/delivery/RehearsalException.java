package io.chatbotctl.delivery;

/** The rehearsal cannot run a workflow as written: an unknown expression, context, key or {@code uses:}. */
final class RehearsalException extends RuntimeException {
    RehearsalException(String message) {
        super(message);
    }
}
