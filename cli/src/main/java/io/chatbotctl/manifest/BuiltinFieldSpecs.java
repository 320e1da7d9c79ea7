package io.chatbotctl.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where kustomize's built-in transformers write: labels, selectors, annotations, and which fields refer to
 * which kinds by name. Written after kustomize's own defaults (api/internal/konfig/builtinpluginconsts).
 */
final class BuiltinFieldSpecs {
    private BuiltinFieldSpecs() {}

    static final List<String> POD_TEMPLATE_KINDS = List.of("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job");

    /** Kinds whose objects live outside any namespace (the namespace transformer leaves them alone). */
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
            "RuntimeClass", "Node", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CSIDriver", "CSINode",
            "VolumeAttachment", "PodSecurityPolicy", "CertificateSigningRequest", "ClusterIssuer", "FlowSchema",
            "PriorityLevelConfiguration");

    /** metadata/labels, plus the pod templates' labels. */
    static List<FieldSpec> templateLabels() {
        List<FieldSpec> specs = new ArrayList<>();
        specs.add(FieldSpec.of("ReplicationController", "", "spec/template/metadata/labels", true));
        for (String kind : POD_TEMPLATE_KINDS) {
            specs.add(FieldSpec.of(kind, "spec/template/metadata/labels", true));
        }
        specs.add(FieldSpec.of("CronJob", "spec/jobTemplate/metadata/labels", true));
        specs.add(FieldSpec.of("CronJob", "spec/jobTemplate/spec/template/metadata/labels", true));
        return specs;
    }

    static List<FieldSpec> metadataLabels() {
        List<FieldSpec> specs = new ArrayList<>();
        specs.add(FieldSpec.any("metadata/labels", true));
        specs.addAll(templateLabels());
        return specs;
    }

    /** Selectors and affinity terms that must carry common labels too. */
    static List<FieldSpec> commonLabels() {
        List<FieldSpec> specs = new ArrayList<>();
        specs.add(FieldSpec.of("Service", "", "spec/selector", true));
        specs.add(FieldSpec.of("ReplicationController", "", "spec/selector", true));
        for (String kind : List.of("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet")) {
            specs.add(FieldSpec.of(kind, "spec/selector/matchLabels", true));
        }
        for (String kind : List.of("Deployment", "StatefulSet")) {
            String affinity = "spec/template/spec/affinity/";
            specs.add(FieldSpec.of(kind, "apps", affinity + "podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false));
            specs.add(FieldSpec.of(kind, "apps", affinity + "podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false));
            specs.add(FieldSpec.of(kind, "apps", affinity + "podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false));
            specs.add(FieldSpec.of(kind, "apps", affinity + "podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false));
            specs.add(FieldSpec.of(kind, "apps", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false));
        }
        specs.add(FieldSpec.of("StatefulSet", "apps", "spec/volumeClaimTemplates/metadata/labels", true));
        specs.add(FieldSpec.of("Job", "batch", "spec/selector/matchLabels", false));
        specs.add(FieldSpec.of("CronJob", "batch", "spec/jobTemplate/spec/selector/matchLabels", false));
        specs.add(FieldSpec.of("PodDisruptionBudget", "policy", "spec/selector/matchLabels", false));
        specs.add(FieldSpec.of("NetworkPolicy", "networking.k8s.io", "spec/podSelector/matchLabels", false));
        specs.add(FieldSpec.of("NetworkPolicy", "networking.k8s.io", "spec/ingress/from/podSelector/matchLabels", false));
        specs.add(FieldSpec.of("NetworkPolicy", "networking.k8s.io", "spec/egress/to/podSelector/matchLabels", false));
        specs.addAll(metadataLabels());
        return specs;
    }

    static List<FieldSpec> commonAnnotations() {
        List<FieldSpec> specs = new ArrayList<>();
        specs.add(FieldSpec.any("metadata/annotations", true));
        specs.add(FieldSpec.of("ReplicationController", "", "spec/template/metadata/annotations", true));
        for (String kind : POD_TEMPLATE_KINDS) {
            specs.add(FieldSpec.of(kind, "spec/template/metadata/annotations", true));
        }
        specs.add(FieldSpec.of("CronJob", "spec/jobTemplate/metadata/annotations", true));
        specs.add(FieldSpec.of("CronJob", "spec/jobTemplate/spec/template/metadata/annotations", true));
        return specs;
    }

    /** The kinds {@code replicas:} sets {@code spec/replicas} on. */
    static final Set<String> REPLICATED_KINDS = Set.of("Deployment", "ReplicationController", "ReplicaSet", "StatefulSet");

    /** For each referred kind, the fields (of other kinds) that hold its name. */
    static Map<String, List<FieldSpec>> nameReferences() {
        List<String> podKinds = List.of("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController");
        List<FieldSpec> configMap = new ArrayList<>();
        List<FieldSpec> secret = new ArrayList<>();
        List<FieldSpec> serviceAccount = new ArrayList<>();
        List<FieldSpec> pvc = new ArrayList<>();
        List<FieldSpec> priorityClass = new ArrayList<>();
        addPodSpecRefs("Pod", "spec/", configMap, secret, serviceAccount, pvc, priorityClass);
        addPodSpecRefs("PodTemplate", "template/spec/", configMap, secret, serviceAccount, pvc, priorityClass);
        for (String kind : podKinds) {
            addPodSpecRefs(kind, "spec/template/spec/", configMap, secret, serviceAccount, pvc, priorityClass);
        }
        addPodSpecRefs("CronJob", "spec/jobTemplate/spec/template/spec/", configMap, secret, serviceAccount, pvc, priorityClass);
        secret.add(FieldSpec.of("Ingress", "spec/tls/secretName", false));
        secret.add(FieldSpec.of("ServiceAccount", "imagePullSecrets/name", false));
        List<FieldSpec> service = List.of(
                FieldSpec.of("StatefulSet", "spec/serviceName", false),
                FieldSpec.of("Ingress", "spec/rules/http/paths/backend/serviceName", false),
                FieldSpec.of("Ingress", "spec/backend/serviceName", false),
                FieldSpec.of("Ingress", "spec/rules/http/paths/backend/service/name", false),
                FieldSpec.of("Ingress", "spec/defaultBackend/service/name", false),
                FieldSpec.of("APIService", "spec/service/name", false),
                FieldSpec.of("HTTPRoute", "spec/rules/backendRefs/name", false));
        List<FieldSpec> scaleTarget = List.of(FieldSpec.of("HorizontalPodAutoscaler", "spec/scaleTargetRef/name", false));
        return Map.of("ConfigMap", configMap, "Secret", secret, "ServiceAccount", serviceAccount,
                "PersistentVolumeClaim", pvc, "PriorityClass", priorityClass, "Service", service,
                "Deployment", scaleTarget, "StatefulSet", scaleTarget, "ReplicaSet", scaleTarget,
                "ReplicationController", scaleTarget);
    }

    private static void addPodSpecRefs(String kind, String spec, List<FieldSpec> configMap, List<FieldSpec> secret,
                                       List<FieldSpec> serviceAccount, List<FieldSpec> pvc, List<FieldSpec> priorityClass) {
        for (String containers : List.of("containers", "initContainers")) {
            configMap.add(FieldSpec.of(kind, spec + containers + "/env/valueFrom/configMapKeyRef/name", false));
            configMap.add(FieldSpec.of(kind, spec + containers + "/envFrom/configMapRef/name", false));
            secret.add(FieldSpec.of(kind, spec + containers + "/env/valueFrom/secretKeyRef/name", false));
            secret.add(FieldSpec.of(kind, spec + containers + "/envFrom/secretRef/name", false));
        }
        configMap.add(FieldSpec.of(kind, spec + "volumes/configMap/name", false));
        configMap.add(FieldSpec.of(kind, spec + "volumes/projected/sources/configMap/name", false));
        secret.add(FieldSpec.of(kind, spec + "volumes/secret/secretName", false));
        secret.add(FieldSpec.of(kind, spec + "volumes/projected/sources/secret/name", false));
        secret.add(FieldSpec.of(kind, spec + "imagePullSecrets/name", false));
        if (!kind.equals("ReplicaSet") && !kind.equals("PodTemplate")) {
            serviceAccount.add(FieldSpec.of(kind, spec + "serviceAccountName", false));
            pvc.add(FieldSpec.of(kind, spec + "volumes/persistentVolumeClaim/claimName", false));
            priorityClass.add(FieldSpec.of(kind, spec + "priorityClassName", false));
        }
    }
}
