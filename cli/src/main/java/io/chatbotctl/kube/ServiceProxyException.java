package io.chatbotctl.kube;

import io.chatbotctl.core.ExternalSystemException;

/**
 * Exit 4: the API server would not relay to a Service: RBAC ({@code services/proxy}), no such Service, or no ready
 * endpoints behind it. The message names the Service; the hint says what to fix.
 */
public final class ServiceProxyException extends ExternalSystemException {
    private final ServiceRef service;
    private final int status;

    public ServiceProxyException(ServiceRef service, int status, String message, String hint) {
        super(message, hint);
        this.service = service;
        this.status = status;
    }

    public ServiceRef service() {
        return service;
    }

    /** The API server's HTTP status (403, 404, 503, ...). */
    public int status() {
        return status;
    }
}
