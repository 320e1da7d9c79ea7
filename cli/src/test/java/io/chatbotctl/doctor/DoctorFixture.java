package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.config.WorkloadNames;
import io.chatbotctl.core.Json;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.kube.KubeTarget;
import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.RenderOptions;
import io.chatbotctl.manifest.RenderedManifests;
import io.chatbotctl.modelsync.S3Settings;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.Repository;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.mockwebserver.http.MockResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fabric8 mock cluster with doctor's fixtures (src/test/resources/io/chatbotctl/doctor, each naming where its
 * shape comes from), and a {@link DoctorContext} on it for one group's checks.
 */
final class DoctorFixture implements AutoCloseable {
    final KubeMockCluster cluster;
    private KubeConnection kube;

    /** Custom resource kinds the fixtures hold: plural and scope. */
    private static final Map<String, String[]> CUSTOM = Map.of(
            "GatewayClass", new String[]{"gatewayclasses", "Cluster"},
            "Gateway", new String[]{"gateways", "Namespaced"},
            "HTTPRoute", new String[]{"httproutes", "Namespaced"},
            "NodePool", new String[]{"nodepools", "Cluster"});

    DoctorFixture(Path dir) {
        this.cluster = KubeMockCluster.start(dir);
    }

    /** A request for the given overlay ({@code production}, {@code staging}) with no Prometheus, endpoint, model or Redis. */
    DoctorRequest request(String overlay) {
        return new DoctorRequest("test", target(), WorkloadNames.defaults(),
                overlay == null ? null : Repository.root().resolve("manifests/overlays/" + overlay), null, null, null,
                "llama-3.1-8b-instruct", null, new S3Settings(null, "us-east-1", null, Map.of()), null, Duration.ofSeconds(5));
    }

    KubeTarget target() {
        return new KubeTarget(KubeMockCluster.CONTEXT, KubeMockCluster.NAMESPACE, Map.of("KUBECONFIG", cluster.kubeconfig().toString()));
    }

    DoctorContext context(String overlay) {
        return context(request(overlay));
    }

    DoctorContext context(DoctorRequest request) {
        if (kube == null) {
            kube = KubeConnection.open(request.kube());
        }
        RenderedManifests rendered = request.overlay() == null ? null : ManifestRenderer.render(request.overlay(), RenderOptions.none());
        return new DoctorContext(kube, request, rendered);
    }

    /** A context whose rendered manifests are the given objects (a Deployment of a test's own making). */
    DoctorContext context(List<ObjectNode> rendered) {
        DoctorContext base = context((String) null);
        return new DoctorContext(base.kube, base.request, new RenderedManifests(rendered));
    }

    static String resource(String name) {
        try (InputStream in = DoctorFixture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates every object of a fixture, with {@code replacements} applied to its text first; status as written. */
    DoctorFixture load(String name, Map<String, String> replacements) {
        String text = resource(name);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            text = text.replace(r.getKey(), r.getValue());
        }
        try (MappingIterator<ObjectNode> it = Json.yaml().readerFor(ObjectNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                ObjectNode o = it.nextValue();
                if (o != null && !o.isEmpty()) {
                    create(o);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
        return this;
    }

    DoctorFixture load(String name) {
        return load(name, Map.of());
    }

    void create(ObjectNode o) {
        String kind = o.path("kind").asText();
        String[] custom = CUSTOM.get(kind);
        if (custom != null) {
            String[] gv = o.path("apiVersion").asText().split("/");
            ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder().withGroup(gv[0]).withVersion(gv[1])
                    .withKind(kind).withPlural(custom[0]).withNamespaced(custom[1].equals("Namespaced")).build();
            GenericKubernetesResource r = cluster.client().getKubernetesSerialization().unmarshal(o.toString(), GenericKubernetesResource.class);
            var op = cluster.client().genericKubernetesResources(ctx);
            if (custom[1].equals("Namespaced")) {
                op.inNamespace(o.path("metadata").path("namespace").asText(KubeMockCluster.NAMESPACE)).resource(r).create();
            } else {
                op.resource(r).create();
            }
            return;
        }
        HasMetadata r = cluster.client().getKubernetesSerialization().unmarshal(o.toString(), HasMetadata.class);
        String ns = o.path("metadata").path("namespace").asText(null);
        HasMetadata created = ns == null ? cluster.client().resource(r).create() : cluster.client().resource(r).inNamespace(ns).create();
        if (o.has("status")) {
            r.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
            if (ns == null) {
                cluster.client().resource(r).updateStatus();
            } else {
                cluster.client().resource(r).inNamespace(ns).updateStatus();
            }
        }
    }

    /** The Gateway API's CRDs (only their names matter to doctor). */
    void gatewayCrds() {
        cluster.installGatewayApiCrds();
    }

    /**
     * SelfSubjectAccessReviews answered like the API server (authorization.k8s.io/v1: the review echoed back with
     * {@code status.allowed} and, when denied, a {@code reason}); {@code denied} holds "verb resource" pairs.
     */
    void accessReviews(Set<String> denied) {
        cluster.route("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", request -> {
            try {
                ObjectNode review = (ObjectNode) Json.mapper().readTree(request.getUtf8Body());
                JsonNode attrs = review.path("spec").path("resourceAttributes");
                String key = attrs.path("verb").asText() + " " + attrs.path("resource").asText()
                        + (attrs.hasNonNull("subresource") ? "/" + attrs.path("subresource").asText() : "");
                boolean allowed = !denied.contains(key);
                ObjectNode status = review.putObject("status");
                status.put("allowed", allowed);
                if (!allowed) {
                    status.put("reason", "");
                }
                return json(201, review.toString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    /** A Kubernetes Status 404 as an aggregated API answers for a metric it does not serve. */
    static MockResponse notFound(String message) {
        return json(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + message + "\",\"reason\":\"NotFound\",\"code\":404}");
    }

    static List<CheckResult> only(List<CheckResult> results, String check) {
        return results.stream().filter(r -> r.check().equals(check)).toList();
    }

    static CheckResult one(List<CheckResult> results, String check) {
        List<CheckResult> found = only(results, check);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + check + " in " + results);
        }
        return found.get(0);
    }

    @Override
    public void close() {
        if (kube != null) {
            kube.close();
        }
        cluster.close();
    }
}
