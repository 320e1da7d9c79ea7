package io.chatbotctl.core;

/**
 * Exit 1: a check ran and failed (gate, SLO, lint, canary). Commands that print a result first usually return
 * exit code 1 from the result instead of throwing; this is for failures found before there is a result.
 */
public class CheckFailedException extends ChatbotctlException {
    public CheckFailedException(String message) {
        this(message, null);
    }

    public CheckFailedException(String message, String hint) {
        super(ExitCode.CHECK_FAILED, message, hint, null);
    }
}
