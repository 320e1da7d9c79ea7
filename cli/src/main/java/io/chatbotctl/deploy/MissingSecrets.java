package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secrets the pod templates need that neither the manifests nor the cluster hold, such as the proxy's keys
 * (created outside the repository, docs/manifests.md). Without them the pods wait in ContainerCreating (a volume) or
 * fail with CreateContainerConfigError (an env reference), which the rollout wait would only report at its deadline.
 */
public final class MissingSecrets {
    private MissingSecrets() {}

    private static final Set<String> POD_TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet");

    /** One line per missing Secret: its name, namespace and who needs it. */
    static List<String> find(KubernetesClient client, List<ObjectNode> prepared) {
        List<String> missing = new ArrayList<>();
        needed(prepared).forEach((key, who) -> {
            String namespace = key.substring(0, key.indexOf('/'));
            String name = key.substring(key.indexOf('/') + 1);
            if (client.secrets().inNamespace(namespace).withName(name).get() == null) {
                missing.add("Secret " + name + " (" + who + ") is not in namespace " + namespace
                        + ": the pods will not start until it exists");
            }
        });
        return missing;
    }

    /**
     * The Secrets the pod templates need (not optional) that the manifests do not create, as {@code namespace/name}
     * to who needs it (e.g. {@code volume proxy-keys of Deployment/vllm-chatbot}); doctor checks them too.
     */
    public static Map<String, String> needed(List<ObjectNode> prepared) {
        Set<String> inManifests = new java.util.HashSet<>();
        for (ObjectNode o : prepared) {
            if ("Secret".equals(o.path("kind").asText())) {
                inManifests.add(namespace(o) + "/" + o.path("metadata").path("name").asText());
            }
        }
        Map<String, String> needed = new LinkedHashMap<>();
        for (ObjectNode o : prepared) {
            if (!POD_TEMPLATE_KINDS.contains(o.path("kind").asText())) {
                continue;
            }
            String owner = o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
            JsonNode pod = o.path("spec").path("template").path("spec");
            for (JsonNode v : pod.path("volumes")) {
                require(needed, o, v.path("secret").path("secretName"), v.path("secret").path("optional"),
                        "volume " + v.path("name").asText() + " of " + owner);
                for (JsonNode source : v.path("projected").path("sources")) {
                    require(needed, o, source.path("secret").path("name"), source.path("secret").path("optional"),
                            "volume " + v.path("name").asText() + " of " + owner);
                }
            }
            List<JsonNode> containers = new ArrayList<>();
            pod.path("initContainers").forEach(containers::add);
            pod.path("containers").forEach(containers::add);
            for (JsonNode c : containers) {
                String who = "container " + c.path("name").asText() + " of " + owner;
                c.path("envFrom").forEach(e -> require(needed, o, e.path("secretRef").path("name"),
                        e.path("secretRef").path("optional"), who));
                c.path("env").forEach(e -> require(needed, o, e.path("valueFrom").path("secretKeyRef").path("name"),
                        e.path("valueFrom").path("secretKeyRef").path("optional"), who));
            }
        }
        needed.keySet().removeAll(inManifests);
        return needed;
    }

    private static void require(Map<String, String> needed, JsonNode owner, JsonNode name, JsonNode optional, String who) {
        if (name.isTextual() && !name.asText().isEmpty() && !optional.asBoolean(false)) {
            needed.putIfAbsent(namespace(owner) + "/" + name.asText(), who);
        }
    }

    private static String namespace(JsonNode o) {
        return o.path("metadata").path("namespace").asText("default");
    }
}
