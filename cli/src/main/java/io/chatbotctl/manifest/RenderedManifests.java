package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * The objects a kustomization renders to, in kustomize's legacy order (Namespace first, then ServiceAccounts,
 * ConfigMaps, Services, Deployments, ..., webhooks last).
 */
public final class RenderedManifests {
    private final List<ObjectNode> objects;

    public RenderedManifests(List<ObjectNode> objects) {
        this.objects = List.copyOf(objects);
    }

    /** The rendered objects; treat them as read-only (copy with {@code deepCopy()} before changing one). */
    public List<ObjectNode> objects() {
        return objects;
    }

    /** Multi-document YAML, as {@code kubectl kustomize} prints it: keys sorted, documents separated by {@code ---}. */
    public String yaml() {
        return ManifestYaml.write(objects);
    }

    /** A pretty-printed JSON list of the objects. */
    public String json() {
        return ManifestYaml.writeJsonList(objects);
    }

    /** The first object of this kind and name. */
    public Optional<ObjectNode> find(String kind, String name) {
        return objects.stream().filter(o -> kind.equals(KubeObjects.kind(o)) && name.equals(KubeObjects.name(o))).findFirst();
    }

    public List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(KubeObjects.kind(o))).toList();
    }

    /** GPU instance type, replicas and capacity types of the service, as read from these manifests. */
    public ServiceShape serviceShape() {
        return ServiceShape.of(this);
    }

    /** The serving settings of the {@code vllm-config} ConfigMap, when the manifests have one. */
    public java.util.Optional<ServingSettings> servingSettings() {
        return java.util.Optional.ofNullable(ServingSettings.from(this));
    }

    @Override
    public String toString() {
        return objects.size() + " objects";
    }
}
