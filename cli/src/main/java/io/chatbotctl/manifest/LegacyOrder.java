package io.chatbotctl.manifest;

import java.util.Comparator;
import java.util.List;

/**
 * kustomize's "legacy" output order: a fixed list of kinds first (Namespace ... PodDisruptionBudget), webhook
 * configurations last, everything else in between; ties broken by group_version_kind, then namespace and name.
 */
final class LegacyOrder {
    private LegacyOrder() {}

    private static final List<String> FIRST = List.of("Namespace", "ResourceQuota", "StorageClass",
            "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
            "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass",
            "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget");
    private static final List<String> LAST = List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");

    static final Comparator<Resource> COMPARATOR = Comparator
            .comparingInt((Resource r) -> rank(r.kind()))
            .thenComparing(r -> gvk(r))
            .thenComparing(r -> gvk(r) + "|" + (r.namespace().isEmpty() ? "~X" : r.namespace()) + "|" + r.name());

    private static int rank(String kind) {
        int first = FIRST.indexOf(kind);
        if (first >= 0) {
            return first - FIRST.size();
        }
        int last = LAST.indexOf(kind);
        return last >= 0 ? last + 1 : 0;
    }

    private static String gvk(Resource r) {
        String group = r.group().isEmpty() ? "~G" : r.group();
        String version = KubeObjects.version(r.object);
        return group + "_" + (version.isEmpty() ? "~V" : version) + "_" + (r.kind().isEmpty() ? "~K" : r.kind());
    }
}
