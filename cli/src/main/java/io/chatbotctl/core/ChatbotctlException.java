package io.chatbotctl.core;

/**
 * A failure with a message meant for the user. The CLI prints {@code chatbotctl: error: MESSAGE}, then the hint,
 * and exits with {@link #exitCode()}; the stack trace only with {@code --debug}.
 */
public class ChatbotctlException extends RuntimeException {
    private final int exitCode;
    private final String hint;

    public ChatbotctlException(int exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A short suggestion of what to do next, or null. */
    public String hint() {
        return hint;
    }
}
