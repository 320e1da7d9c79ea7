package io.chatbotctl.kube;

import java.util.Map;

/**
 * Which cluster and namespace to talk to, and the process environment to find the kubeconfig in
 * ({@code KUBECONFIG}, {@code HOME}, {@code KUBERNETES_SERVICE_HOST}). Tests pass their own variables, so a test's
 * kubeconfig never leaks from or into the developer's.
 *
 * @param context   kube context; null means the kubeconfig's current context
 * @param namespace namespace of the service's objects
 * @param variables environment variables (usually {@code CliEnvironment.variables()})
 */
public record KubeTarget(String context, String namespace, Map<String, String> variables) {

    public KubeTarget {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }
}
