package io.chatbotctl.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.core.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;

import java.util.ArrayList;
import java.util.List;

/**
 * Objects of any kind as JSON trees: server-side apply (field manager {@value #FIELD_MANAGER}, conflicts forced, like
 * {@code kubectl apply --server-side --force-conflicts}), dry-run apply, get, list by label, delete.
 */
final class ClusterObjects {
    static final String FIELD_MANAGER = "chatbotctl";

    private final KubeConnection kube;

    ClusterObjects(KubeConnection kube) {
        this.kube = kube;
    }

    KubeConnection kube() {
        return kube;
    }

    /** The object's namespace: as written in the manifest, else the connection's; null for cluster-scoped kinds. */
    ObjectNode withNamespace(ObjectNode object) {
        ObjectRef ref = ObjectRef.of(object);
        if (ResourceKinds.namespaced(ref.kind()) && ref.namespace() == null) {
            ObjectNode copy = object.deepCopy();
            copy.with("metadata").put("namespace", kube.namespace());
            return copy;
        }
        return object;
    }

    /** Server-side apply; returns the object as the server has it after the apply (or would, with {@code dryRun}). */
    ObjectNode apply(ObjectNode object, boolean dryRun) {
        ObjectNode namespaced = withNamespace(object);
        ObjectRef ref = ObjectRef.of(namespaced);
        KubernetesClient client = kube.client();
        GenericKubernetesResource resource = client.getKubernetesSerialization()
                .unmarshal(namespaced.toString(), GenericKubernetesResource.class);
        String verb = dryRun ? "dry-run apply " : "apply ";
        GenericKubernetesResource result = kube.call(verb + ref, () -> {
            Resource<GenericKubernetesResource> r = operation(ref).resource(resource);
            return dryRun
                    ? r.dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply()
                    : r.fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        });
        return toTree(result);
    }

    /** The live object, or null when it does not exist. */
    ObjectNode get(ObjectRef ref) {
        GenericKubernetesResource live = kube.call("read " + ref, () -> operation(ref).withName(ref.name()).get());
        return live == null ? null : toTree(live);
    }

    /** Objects of a kind carrying a label, in {@code namespace} (all namespaces for cluster-scoped kinds). */
    List<ObjectNode> list(String apiVersion, String kind, String namespace, String labelKey, String labelValue) {
        ObjectRef probe = new ObjectRef(apiVersion, kind, ResourceKinds.namespaced(kind) ? namespace : null, "");
        List<GenericKubernetesResource> items = kube.call("list " + ResourceKinds.plural(kind),
                () -> operation(probe).withLabel(labelKey, labelValue).list().getItems());
        List<ObjectNode> result = new ArrayList<>();
        for (GenericKubernetesResource item : items) {
            result.add(toTree(item));
        }
        return result;
    }

    /** A JSON merge patch (RFC 7386), for fields chatbotctl changes outside an apply (release status, replicas). */
    ObjectNode mergePatch(ObjectRef ref, JsonNode patch) {
        GenericKubernetesResource result = kube.call("patch " + ref, () -> operation(ref).withName(ref.name())
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(FIELD_MANAGER).build(),
                        patch.toString()));
        return toTree(result);
    }

    void delete(ObjectRef ref) {
        kube.run("delete " + ref, () -> operation(ref).withName(ref.name()).delete());
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> operation(ObjectRef ref) {
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
                .withGroup(ref.group()).withVersion(ref.version()).withKind(ref.kind())
                .withPlural(ResourceKinds.plural(ref.kind())).withNamespaced(ResourceKinds.namespaced(ref.kind()))
                .build();
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op =
                kube.client().genericKubernetesResources(context);
        return ResourceKinds.namespaced(ref.kind())
                ? op.inNamespace(ref.namespace() != null ? ref.namespace() : kube.namespace())
                : op;
    }

    ObjectNode toTree(Object fabric8Object) {
        try {
            return (ObjectNode) Json.mapper().readTree(kube.client().getKubernetesSerialization().asJson(fabric8Object));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read the API server's answer", e);
        }
    }

    static JsonNode path(JsonNode node, String... names) {
        JsonNode current = node;
        for (String name : names) {
            current = current.path(name);
        }
        return current;
    }
}
