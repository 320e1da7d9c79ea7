package io.chatbotctl.core;

/** Exit 3: an unreadable or invalid file, or a value out of range. */
public class InvalidInputException extends ChatbotctlException {
    public InvalidInputException(String message) {
        this(message, null, null);
    }

    public InvalidInputException(String message, String hint) {
        this(message, hint, null);
    }

    public InvalidInputException(String message, String hint, Throwable cause) {
        super(ExitCode.BAD_INPUT, message, hint, cause);
    }
}
