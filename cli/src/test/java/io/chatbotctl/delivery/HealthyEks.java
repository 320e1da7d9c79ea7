package io.chatbotctl.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.KubeMockCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.mockwebserver.http.MockResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a healthy EKS cluster holds besides the service's own objects, so that {@code chatbotctl doctor} (the first
 * step of every deploying job) finds what it looks for: a GPU node and a CPU node, the NVIDIA device plugin, a
 * Karpenter NodePool with its interruption queue, the Gateway API CRDs and an accepted GatewayClass, an API server
 * that allows the deploy role's verbs and serves the custom metrics API. The objects are doctor's own fixtures
 * (src/test/resources/io/chatbotctl/doctor, each naming where its shape comes from), all healthy. {@link #programmed}
 * plays the Gateway implementation: it writes the statuses the AWS Load Balancer Controller would.
 */
final class HealthyEks {
    private static final String FIXTURES = "/io/chatbotctl/doctor/";
    private static final String PODS_METRIC = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ai-serving/pods/*/vllm_num_requests_waiting";
    private static final Map<String, String[]> CUSTOM = Map.of(
            "GatewayClass", new String[]{"gatewayclasses", "Cluster"},
            "Gateway", new String[]{"gateways", "Namespaced"},
            "HTTPRoute", new String[]{"httproutes", "Namespaced"},
            "NodePool", new String[]{"nodepools", "Cluster"});

    private HealthyEks() {}

    static void arrange(KubeMockCluster cluster) {
        load(cluster, "gpu-node.yaml", Map.of());
        load(cluster, "device-plugin.yaml", Map.of());
        load(cluster, "nodepool.yaml", Map.of());
        load(cluster, "karpenter-controller.yaml", Map.of("INTERRUPTION_ENV\n",
                "            - name: INTERRUPTION_QUEUE\n              value: ai-interruptions\n"));
        cluster.installGatewayApiCrds();
        for (ObjectNode o : objects("gateway-api.yaml", Map.of("GC_ACCEPTED", "True"))) {
            if (o.path("kind").asText().equals("GatewayClass")) {
                create(cluster, o);
            }
        }
        // authorization.k8s.io/v1 SelfSubjectAccessReview: the review echoed back with status.allowed
        cluster.route("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", request -> {
            try {
                ObjectNode review = (ObjectNode) Json.mapper().readTree(request.getUtf8Body());
                review.putObject("status").put("allowed", true);
                return json(201, review.toString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        cluster.route("GET", PODS_METRIC, request -> json(200, resource("custom-metrics-pods.json")));
    }

    /** The Gateway's and the HTTPRoute's statuses once the controller has programmed them (after each apply). */
    static void programmed(KubeMockCluster cluster) {
        for (ObjectNode o : objects("gateway-api.yaml", Map.of("GW_PROGRAMMED", "True", "ROUTE_REFS", "True", "ROUTE_REASON", "ResolvedRefs"))) {
            String kind = o.path("kind").asText();
            if (kind.equals("GatewayClass")) {
                continue;
            }
            var op = cluster.client().genericKubernetesResources(context(o)).inNamespace(KubeMockCluster.NAMESPACE);
            GenericKubernetesResource live = op.withName(o.path("metadata").path("name").asText()).get();
            if (live != null) {
                live.setAdditionalProperty("status", Json.mapper().convertValue(o.path("status"), Map.class));
                op.resource(live).updateStatus();
            }
        }
    }

    private static void load(KubeMockCluster cluster, String name, Map<String, String> replacements) {
        objects(name, replacements).forEach(o -> create(cluster, o));
    }

    private static List<ObjectNode> objects(String name, Map<String, String> replacements) {
        String text = resource(name);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            text = text.replace(r.getKey(), r.getValue());
        }
        try (MappingIterator<ObjectNode> it = Json.yaml().readerFor(ObjectNode.class).readValues(text)) {
            return it.readAll().stream().filter(o -> o != null && !o.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    private static ResourceDefinitionContext context(JsonNode o) {
        String kind = o.path("kind").asText();
        String[] gv = o.path("apiVersion").asText().split("/");
        return new ResourceDefinitionContext.Builder().withGroup(gv[0]).withVersion(gv[1]).withKind(kind)
                .withPlural(CUSTOM.get(kind)[0]).withNamespaced(CUSTOM.get(kind)[1].equals("Namespaced")).build();
    }

    /** Creates the object, then writes its status as the fixture has it (status is a subresource). */
    private static void create(KubeMockCluster cluster, ObjectNode o) {
        var client = cluster.client();
        String ns = o.path("metadata").path("namespace").asText(null);
        if (CUSTOM.containsKey(o.path("kind").asText())) {
            GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(o.toString(), GenericKubernetesResource.class);
            var op = client.genericKubernetesResources(context(o));
            if (ns != null) {
                op.inNamespace(ns).resource(r).create();
            } else {
                op.resource(r).create();
            }
            return;
        }
        HasMetadata r = client.getKubernetesSerialization().unmarshal(o.toString(), HasMetadata.class);
        HasMetadata created = ns == null ? client.resource(r).create() : client.resource(r).inNamespace(ns).create();
        if (o.has("status")) {
            r.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
            if (ns == null) {
                client.resource(r).updateStatus();
            } else {
                client.resource(r).inNamespace(ns).updateStatus();
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = HealthyEks.class.getResourceAsStream(FIXTURES + name)) {
            if (in == null) {
                throw new IllegalStateException("doctor's fixture " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
