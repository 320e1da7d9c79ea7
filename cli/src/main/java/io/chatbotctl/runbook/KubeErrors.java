package io.chatbotctl.runbook;

import io.chatbotctl.core.ExternalSystemException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** A failed call to the Kubernetes API as the user should read it (exit 4). */
final class KubeErrors {
    private KubeErrors() {}

    static RuntimeException translate(KubernetesClientException e, KubernetesClient client) {
        String server = client.getMasterUrl() == null ? "the cluster" : client.getMasterUrl().toString();
        if (e.getCode() == 0) {
            return new ExternalSystemException("cannot reach the Kubernetes API at " + server + ": " + rootMessage(e),
                    "check --context, KUBECONFIG and that the cluster is up", e);
        }
        if (e.getCode() == 401 || e.getCode() == 403) {
            return new ExternalSystemException("the Kubernetes API refused the request (HTTP " + e.getCode() + "): "
                    + e.getStatus().getMessage(), "check your credentials and RBAC for namespace access", e);
        }
        return new ExternalSystemException("the Kubernetes API failed (HTTP " + e.getCode() + "): " + rootMessage(e), null, e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
