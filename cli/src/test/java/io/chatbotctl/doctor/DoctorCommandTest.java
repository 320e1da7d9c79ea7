package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.modelsync.EmbeddedS3;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.FreePorts;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.Poll;
import io.chatbotctl.testing.Repository;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code chatbotctl doctor} through the real command line: exit 0, 1 and 4, the table and the JSON. */
class DoctorCommandTest {
    @TempDir
    Path dir;

    private void config(String modelUri) throws Exception {
        config(modelUri, "");
    }

    private void config(String modelUri, String more) throws Exception {
        Repository.copyManifests(dir);
        Files.writeString(dir.resolve("chatbotctl.yaml"), """
                service: vllm-chatbot
                model: llama-3.1-8b-instruct
                environments:
                  staging:
                    context: %s
                    namespace: ai-serving
                    overlay: manifests/overlays/staging
                    modelUri: %s
                    region: us-east-1
                """.formatted(KubeMockCluster.CONTEXT, modelUri) + more);
    }

    @Test
    void anUnreachableClusterExitsFour() throws Exception {
        config("s3://models/llama/");
        Path kubeconfig = KubeMockCluster.writeKubeconfig(dir.resolve("closed.yaml"), "http://127.0.0.1:" + FreePorts.next(),
                KubeMockCluster.CONTEXT, "ai-serving");
        CliRunner.Result r = new CliRunner().workingDir(dir).env("KUBECONFIG", kubeconfig.toString()).run("doctor", "--env", "staging");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("chatbotctl: error: cannot reach the Kubernetes API server"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anEmptyClusterFailsWithEvidenceAndFixesInTheTableAndTheJson() throws Exception {
        try (DoctorFixture fx = new DoctorFixture(dir.resolve("cluster"));
             EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("blobs"), 0, "doctor", "doctor-secret")) {
            config("s3://models/llama/");
            s3.createBucket("models");
            CliRunner cli = cli(fx, s3);
            CliRunner.Result table = cli.run("doctor", "--env", "staging");
            assertEquals(1, table.exitCode(), table.toString());
            assertTrue(table.out().startsWith("STATUS"), table.out());
            assertTrue(table.out().contains("fail    GPU capacity     gpu-nodes"), table.out());
            assertTrue(table.out().contains("fix: "), table.out());
            assertTrue(table.out().contains("staging (ai-serving on http://127.0.0.1:"), table.out());

            CliRunner.Result json = cli.run("doctor", "--env", "staging", "-o", "json");
            assertEquals(1, json.exitCode(), json.toString());
            JsonNode report = Json.mapper().readTree(json.out());
            assertEquals("fail", report.path("status").asText());
            assertEquals("staging", report.path("environment").asText());
            JsonNode first = report.path("checks").get(0);
            assertEquals("Access", first.path("group").asText());
            assertEquals("api-server", first.path("check").asText());
            assertEquals("ok", first.path("status").asText());
            assertTrue(first.path("fix").isMissingNode(), "no fix when ok: " + first);
            assertEquals(report.path("failures").asInt(), count(report, "fail"));
            assertTrue(report.path("failures").asInt() > 0);
            for (JsonNode c : report.path("checks")) {
                assertFalse(c.path("evidence").asText().isBlank(), c.toString());
                assertEquals(c.path("status").asText().equals("ok"), c.path("fix").isMissingNode(), c.toString());
            }
        }
    }

    @Test
    void aClusterThatHasEverythingPassesWithWarningsForTheInputsNotGiven() throws Exception {
        try (DoctorFixture fx = new DoctorFixture(dir.resolve("cluster"));
             EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("blobs"), 0, "doctor", "doctor-secret")) {
            config("s3://models/llama/");
            s3.createBucket("models");
            s3.blobStore().putBlob("models", s3.blobStore().blobBuilder("llama/.chatbotctl-manifest.json")
                    .payload("{\"version\":1,\"files\":[]}".getBytes(StandardCharsets.UTF_8)).build());
            fx.accessReviews(Set.of());
            fx.load("gpu-node.yaml").load("device-plugin.yaml").load("node-termination-handler.yaml", Map.of("NTH_READY", "2"));
            fx.load("hpa.yaml", Map.of("SCALING_ACTIVE\n", AccessAutoscalingTrafficTest.ACTIVE_TRUE));
            fx.cluster.route("GET", AccessAutoscalingTrafficTest.PODS_METRIC,
                    request -> DoctorFixture.json(200, DoctorFixture.resource("custom-metrics-pods.json")));
            fx.gatewayCrds();
            fx.load("gateway-api.yaml", Map.of("GC_ACCEPTED", "True", "GW_PROGRAMMED", "True", "ROUTE_REFS", "True",
                    "ROUTE_REASON", "ResolvedRefs"));
            fx.cluster.client().secrets().inNamespace("ai-serving").resource(new SecretBuilder().withNewMetadata()
                    .withName("vllm-chatbot-proxy-keys").endMetadata().addToStringData("keys.yaml", "keys: []\n").build()).create();

            CliRunner.Result r = cli(fx, s3).run("doctor", "--env", "staging", "-o", "json");
            assertEquals(0, r.exitCode(), r.toString());
            JsonNode report = Json.mapper().readTree(r.out());
            assertEquals("warn", report.path("status").asText(), r.out());
            assertEquals(0, report.path("failures").asInt(), r.out());
            assertEquals(Set.of("prometheus", "chat-stream"), warned(report), "only the inputs not given warn: " + r.out());
            assertTrue(r.err().contains("doctor: "), "progress on stderr: " + r.err());
        }
    }

    @Test
    void anInClusterEndpointIsReachedThroughTheApiServersServiceProxy() throws Exception {
        try (DoctorFixture fx = new DoctorFixture(dir.resolve("cluster"));
             EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("blobs"), 0, "doctor", "doctor-secret");
             Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).build())) {
            config("s3://models/llama/", "    endpoint: http://vllm-service.ai-serving.svc:8080/v1\n");
            fx.cluster.serveServiceProxy("ai-serving", "vllm-service", "8080", URI.create("http://" + sim.target()));
            CliRunner.Result r = cli(fx, s3).env("CHATBOTCTL_API_KEY", "cbk-test").run("doctor", "--env", "staging", "-o", "json");
            assertEquals(1, r.exitCode(), "the empty cluster fails elsewhere: " + r);
            JsonNode e2e = null;
            for (JsonNode c : Json.mapper().readTree(r.out()).path("checks")) {
                e2e = c.path("check").asText().equals("chat-stream") ? c : e2e;
            }
            assertEquals("ok", e2e.path("status").asText(), e2e.toString());
            assertTrue(e2e.path("evidence").asText().contains("TTFT"), e2e.toString());
            assertTrue(r.err().contains("vllm-service") && r.err().contains("through the API server"), r.err());
            Poll.until(() -> !sim.requestLog().isEmpty()); // the simulator logs a request after its last byte
            assertEquals(1, sim.requestLog().size(), "the request reached the model through the relay");
        }
    }

    private CliRunner cli(DoctorFixture fx, EmbeddedS3 s3) {
        CliRunner cli = fx.cluster.cli().workingDir(dir).env("HOME", fx.cluster.kubeconfig().getParent().toString())
                .env("AWS_ENDPOINT_URL", s3.endpointUrl());
        s3.clientEnvironment().forEach(cli::env);
        return cli;
    }

    private static int count(JsonNode report, String status) {
        int n = 0;
        for (JsonNode c : report.path("checks")) {
            n += c.path("status").asText().equals(status) ? 1 : 0;
        }
        return n;
    }

    private static Set<String> warned(JsonNode report) {
        Set<String> names = new java.util.TreeSet<>();
        report.path("checks").forEach(c -> {
            if (c.path("status").asText().equals("warn")) {
                names.add(c.path("check").asText());
            }
        });
        return names;
    }
}
