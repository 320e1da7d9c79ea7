package io.chatbotctl.core;

/** Exit 4: a cluster, S3, Prometheus or an endpoint failed or could not be reached. */
public class ExternalSystemException extends ChatbotctlException {
    public ExternalSystemException(String message) {
        this(message, null, null);
    }

    public ExternalSystemException(String message, String hint) {
        this(message, hint, null);
    }

    public ExternalSystemException(String message, String hint, Throwable cause) {
        super(ExitCode.EXTERNAL_FAILURE, message, hint, cause);
    }
}
