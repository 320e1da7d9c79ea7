package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.manifest.RenderedManifests;
import io.chatbotctl.prometheus.PrometheusClient;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What every check reads: the open cluster connection, the request and the rendered manifests of the overlay. */
final class DoctorContext {
    final KubeConnection kube;
    final DoctorRequest request;
    /** The overlay rendered like deploy renders it; null when the environment has no overlay. */
    final RenderedManifests rendered;
    private PrometheusClient prometheus;

    DoctorContext(KubeConnection kube, DoctorRequest request, RenderedManifests rendered) {
        this.kube = kube;
        this.request = request;
        this.rendered = rendered;
    }

    KubernetesClient client() {
        return kube.client();
    }

    /** The environment's Prometheus, one client for every check that asks it; null when none is configured. */
    PrometheusClient prometheus() {
        if (prometheus == null && request.prometheus() != null) {
            prometheus = new PrometheusClient(request.prometheus(), request.timeout());
        }
        return prometheus;
    }

    String namespace() {
        return kube.namespace();
    }

    /** The rendered serving Deployment. */
    Optional<ObjectNode> deployment() {
        return rendered == null ? Optional.empty() : rendered.find("Deployment", request.names().deployment());
    }

    /** The rendered Deployment's pod spec, or a missing node. */
    JsonNode podSpec() {
        return deployment().map(d -> d.path("spec").path("template").path("spec")).orElse(Json.mapper().missingNode());
    }

    /** A fabric8 object as a JSON tree, as the API server wrote it. */
    JsonNode tree(Object fabric8Object) {
        try {
            return Json.mapper().readTree(client().getKubernetesSerialization().asJson(fabric8Object));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the API server's answer", e);
        }
    }

    /** The condition of {@code type} in a {@code status.conditions} list. */
    static Optional<JsonNode> condition(JsonNode conditions, String type) {
        for (JsonNode c : conditions) {
            if (type.equals(c.path("type").asText())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** {@code Type=Status (Reason): message}, for evidence; {@code Type: not reported} when absent. */
    static String describe(Optional<JsonNode> condition, String type) {
        return condition.map(c -> type + "=" + c.path("status").asText() + (c.hasNonNull("reason") ? " (" + c.path("reason").asText() + ")" : "")
                + (c.hasNonNull("message") && !c.path("message").asText().isEmpty() ? ": " + c.path("message").asText() : ""))
                .orElse(type + " not reported");
    }

    static boolean isTrue(Optional<JsonNode> condition) {
        return condition.map(c -> "True".equals(c.path("status").asText())).orElse(false);
    }

    /** One object of a custom resource kind, or empty when it (or its API) does not exist. */
    Optional<JsonNode> getObject(String group, String version, String kind, String plural, String namespace, String name) {
        ResourceDefinitionContext rdc = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                .withKind(kind).withPlural(plural).withNamespaced(namespace != null).build();
        try {
            var op = client().genericKubernetesResources(rdc);
            GenericKubernetesResource item = namespace == null ? op.withName(name).get() : op.inNamespace(namespace).withName(name).get();
            return Optional.ofNullable(item).map(this::tree);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * A raw GET of an API path (aggregated APIs like custom.metrics.k8s.io have no typed client); empty when the
     * server answers 404 (the API or the object does not exist).
     */
    Optional<JsonNode> get(String path) {
        try {
            String body = client().raw(kube.server().replaceAll("/+$", "") + path);
            return body == null ? Optional.empty() : Optional.of(Json.mapper().readTree(body));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new KubernetesClientException("the answer to GET " + path + " is not JSON: " + e.getMessage());
        }
    }

    /** Objects of a custom resource kind (all namespaces when namespace is null); empty when its API is not installed. */
    Optional<List<JsonNode>> list(String group, String version, String kind, String plural, String namespace, boolean namespaced) {
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
        try {
            var op = client().genericKubernetesResources(context);
            List<GenericKubernetesResource> items = !namespaced ? op.list().getItems()
                    : namespace == null ? op.inAnyNamespace().list().getItems() : op.inNamespace(namespace).list().getItems();
            List<JsonNode> out = new ArrayList<>();
            for (GenericKubernetesResource item : items) {
                out.add(tree(item));
            }
            return Optional.of(out);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
