package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.modelsync.EmbeddedS3;
import io.chatbotctl.testing.RedisServer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.chatbotctl.doctor.DoctorFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spot (the interruption handler that fits the provisioning mode) and Model and proxy (S3 HEAD, keys Secret, Redis). */
class SpotModelProxyTest {
    static final String QUEUE = "            - name: INTERRUPTION_QUEUE\n              value: ai-production-interruptions\n";

    @TempDir
    Path dir;
    DoctorFixture fx;

    @BeforeEach
    void start() {
        fx = new DoctorFixture(dir);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private CheckResult spot(String overlay) {
        return one(new SpotChecks(fx.context(overlay)).run(), "interruption-handler");
    }

    @Test
    void anOnDemandOnlyDeploymentNeedsNoHandler() throws Exception {
        ObjectNode deployment = (ObjectNode) Json.yaml().readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: vllm-chatbot, namespace: ai-serving}
                spec:
                  template:
                    spec:
                      nodeSelector: {node.kubernetes.io/instance-type: g5.2xlarge}
                      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                      containers: [{name: vllm, image: vllm}]
                """);
        CheckResult r = one(new SpotChecks(fx.context(List.of(deployment))).run(), "interruption-handler");
        assertEquals(Status.OK, r.status());
        assertTrue(r.evidence().contains("does not use spot"), r.evidence());
    }

    @Test
    void spotWithTheNodeTerminationHandlerReadyIsOkAndWithoutAnyHandlerFails() {
        CheckResult none = spot("staging");
        assertEquals(Status.FAIL, none.status());
        assertTrue(none.evidence().startsWith("the pods tolerate eks.amazonaws.com/capacityType=SPOT"), none.evidence());
        assertTrue(none.fix().contains("aws-node-termination-handler"), none.fix());

        fx.load("node-termination-handler.yaml", Map.of("NTH_READY", "2"));
        CheckResult ok = spot("staging");
        assertEquals(Status.OK, ok.status(), ok.toString());
        assertTrue(ok.evidence().contains("NTH DaemonSet kube-system/aws-node-termination-handler (IMDS mode, 2 of 2 ready)"), ok.evidence());

        fx.cluster.reset();
        fx.load("node-termination-handler.yaml", Map.of("NTH_READY", "0"));
        CheckResult notReady = spot("staging");
        assertEquals(Status.FAIL, notReady.status(), notReady.toString());
    }

    @Test
    void underKarpenterItsInterruptionQueueIsWhatCountsNotTheTerminationHandler() {
        fx.load("nodepool.yaml").load("karpenter-controller.yaml", Map.of("INTERRUPTION_ENV\n", QUEUE));
        CheckResult ok = spot("production");
        assertEquals(Status.OK, ok.status(), ok.toString());
        assertTrue(ok.evidence().contains("reads interruption queue ai-production-interruptions"), ok.evidence());

        fx.load("node-termination-handler.yaml", Map.of("NTH_READY", "2"));
        CheckResult both = spot("production");
        assertEquals(Status.WARN, both.status(), "both handle the same events: " + both);

        fx.cluster.reset();
        fx.load("nodepool.yaml").load("karpenter-controller.yaml", Map.of("INTERRUPTION_ENV\n", ""));
        CheckResult noQueue = spot("production");
        assertEquals(Status.FAIL, noQueue.status(), noQueue.toString());
        assertTrue(noQueue.fix().contains("settings.interruptionQueue"), noQueue.fix());
    }

    @Test
    void eksAutoModeHandlesInterruptionsItself() {
        fx.cluster.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("i-0abc")
                .addToLabels("eks.amazonaws.com/compute-type", "auto").endMetadata().build()).create();
        CheckResult r = spot("staging");
        assertEquals(Status.OK, r.status(), r.toString());
        assertTrue(r.evidence().contains("EKS Auto Mode"), r.evidence());
    }

    @Test
    void theModelManifestIsHeadedWithTheCallersCredentials() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("blobs"), 0, "doctor", "doctor-secret")) {
            s3.createBucket("models");
            DoctorRequest base = fx.request("staging");
            DoctorRequest request = new DoctorRequest(base.environment(), base.kube(), base.names(), base.overlay(), null, null,
                    null, base.model(), "s3://models/llama/", s3.settings(), null, base.timeout());
            CheckResult missing = one(new ModelProxyChecks(fx.context(request)).run(), "model-uri");
            assertEquals(Status.FAIL, missing.status(), missing.toString());
            assertTrue(missing.evidence().contains("not the pods' role"), missing.evidence());
            assertTrue(missing.fix().contains("chatbotctl model push DIR s3://models/llama/"), missing.fix());

            s3.blobStore().putBlob("models", s3.blobStore().blobBuilder("llama/.chatbotctl-manifest.json")
                    .payload("{\"version\":1,\"files\":[]}".getBytes(StandardCharsets.UTF_8)).build());
            CheckResult ok = one(new ModelProxyChecks(fx.context(request)).run(), "model-uri");
            assertEquals(Status.OK, ok.status(), ok.toString());
            assertTrue(ok.evidence().startsWith("HEAD s3://models/llama/.chatbotctl-manifest.json (chatbotctl.yaml modelUri): 24 bytes"), ok.evidence());
        }
    }

    @Test
    void theKeysSecretTheOverlayMountsMustExist() {
        CheckResult missing = one(new ModelProxyChecks(fx.context("staging")).run(), "keys-secret");
        assertEquals(Status.FAIL, missing.status());
        assertTrue(missing.evidence().contains("Secret ai-serving/vllm-chatbot-proxy-keys (volume proxy-keys of Deployment/vllm-chatbot)"),
                missing.evidence());
        fx.cluster.client().secrets().inNamespace("ai-serving").resource(new SecretBuilder().withNewMetadata()
                .withName("vllm-chatbot-proxy-keys").endMetadata().addToStringData("keys.yaml", "keys: []\n").build()).create();
        assertEquals(Status.OK, one(new ModelProxyChecks(fx.context("staging")).run(), "keys-secret").status());
    }

    @Test
    void redisAnswersPingOrFailsAndWithoutOneTheLimitsArePerPod() throws Exception {
        assertEquals(Status.OK, one(new ModelProxyChecks(fx.context("staging")).run(), "redis").status(), "staging has no Redis");
        CheckResult unreachable = one(new ModelProxyChecks(fx.context("production")).run(), "redis");
        assertEquals(Status.FAIL, unreachable.status(), "production's ElastiCache is not reachable from here: " + unreachable);
        assertTrue(unreachable.evidence().contains("master.vllm-chatbot-limits.abc123.apn2.cache.amazonaws.com:6379 (the overlay's CHATBOTCTL_PROXY_REDIS_URL)"),
                unreachable.evidence());
        try (RedisServer redis = RedisServer.start()) {
            DoctorRequest base = fx.request("production");
            DoctorRequest request = new DoctorRequest(base.environment(), base.kube(), base.names(), base.overlay(), null, null,
                    null, base.model(), null, base.s3(), redis.url(), base.timeout());
            CheckResult ok = one(new ModelProxyChecks(fx.context(request)).run(), "redis");
            assertEquals(Status.OK, ok.status(), ok.toString());
            assertTrue(ok.evidence().contains("answered PING with PONG"), ok.evidence());
        }
    }
}
