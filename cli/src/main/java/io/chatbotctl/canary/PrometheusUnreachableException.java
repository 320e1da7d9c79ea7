package io.chatbotctl.canary;

import io.chatbotctl.core.ExternalSystemException;

/** Prometheus failed every attempt: the watch stops with nothing promoted (exit 4). */
public final class PrometheusUnreachableException extends ExternalSystemException {
    public PrometheusUnreachableException(String message, String hint, Throwable cause) {
        super(message, hint, cause);
    }
}
