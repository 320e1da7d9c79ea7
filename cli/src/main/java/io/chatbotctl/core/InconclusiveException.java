package io.chatbotctl.core;

/** Exit 5: not enough data to decide. */
public class InconclusiveException extends ChatbotctlException {
    public InconclusiveException(String message) {
        this(message, null);
    }

    public InconclusiveException(String message, String hint) {
        super(ExitCode.INCONCLUSIVE, message, hint, null);
    }
}
