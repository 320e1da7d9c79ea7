package io.chatbotctl.deploy;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The REST names of kinds: plural resource names and whether a kind is namespaced. Known kinds are listed; other
 * kinds (custom resources) follow the API server's plural convention and are taken as namespaced.
 */
public final class ResourceKinds {
    private ResourceKinds() {}

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "Node", "PersistentVolume", "ClusterRole",
            "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass", "PriorityClass", "IngressClass",
            "RuntimeClass", "APIService", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CSIDriver", "VolumeAttachment");

    private static final Map<String, String> IRREGULAR = Map.of("Endpoints", "endpoints");

    public static boolean namespaced(String kind) {
        return !CLUSTER_SCOPED.contains(kind);
    }

    public static String plural(String kind) {
        String irregular = IRREGULAR.get(kind);
        if (irregular != null) {
            return irregular;
        }
        String lower = kind.toLowerCase(Locale.ROOT);
        if (lower.endsWith("s") || lower.endsWith("x") || lower.endsWith("ch") || lower.endsWith("sh")) {
            return lower + "es";
        }
        if (lower.endsWith("y") && lower.length() > 1 && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
            return lower.substring(0, lower.length() - 1) + "ies";
        }
        return lower + "s";
    }
}
