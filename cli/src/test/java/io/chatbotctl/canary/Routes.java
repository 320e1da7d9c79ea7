package io.chatbotctl.canary;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The HTTPRoute {@code vllm-chatbot} of a test cluster, read back as JSON. */
final class Routes {
    private Routes() {}

    static ObjectNode get(KubernetesClient k) {
        GenericKubernetesResource route = k.genericKubernetesResources(KubeCanary.HTTP_ROUTE).withName(CanaryNames.DEFAULTS.route()).get();
        return route == null ? null : readTree(k, route);
    }

    private static ObjectNode readTree(KubernetesClient k, GenericKubernetesResource route) {
        try {
            return (ObjectNode) Json.mapper().readTree(k.getKubernetesSerialization().asJson(route));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void delete(KubernetesClient k) {
        k.genericKubernetesResources(KubeCanary.HTTP_ROUTE).withName(CanaryNames.DEFAULTS.route()).delete();
    }
}
