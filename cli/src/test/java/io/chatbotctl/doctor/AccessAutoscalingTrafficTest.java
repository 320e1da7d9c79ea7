package io.chatbotctl.doctor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static io.chatbotctl.doctor.DoctorFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access (SelfSubjectAccessReview), Autoscaling (metrics APIs, ScalingActive) and Traffic (Gateway API status). */
class AccessAutoscalingTrafficTest {
    static final String ACTIVE_TRUE = """
                - type: ScalingActive
                  status: "True"
                  reason: ValidMetricFound
                  message: the HPA was able to successfully calculate a replica count from pods metric vllm_num_requests_waiting
            """;
    static final String ACTIVE_FALSE = """
                - type: ScalingActive
                  status: "False"
                  reason: FailedGetPodsMetric
                  message: 'the HPA was unable to compute the replica count: unable to get metric vllm_num_requests_waiting: unable to fetch metrics from custom metrics API: the server could not find the metric vllm_num_requests_waiting for pods'
            """;
    static final String PODS_METRIC = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ai-serving/pods/*/vllm_num_requests_waiting";

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

    @Test
    void everyVerbAllowedIsOkAndADeniedOneFailsNamingWhoNeedsIt() {
        fx.accessReviews(Set.of());
        CheckResult ok = AccessChecks.rbac(fx.context("production"));
        assertEquals(Status.OK, ok.status(), ok.toString());
        int verbs = AccessVerbs.all(fx.context("production").rendered).size();
        assertTrue(ok.evidence().contains("all " + verbs + " verbs"), ok.evidence());

        fx.cluster.reset();
        fx.accessReviews(Set.of("create pods/eviction", "patch deployments"));
        CheckResult denied = AccessChecks.rbac(fx.context("production"));
        assertEquals(Status.FAIL, denied.status());
        assertTrue(denied.evidence().contains("create pods/eviction in ai-serving - used by runbook: DrainAction"), denied.evidence());
        assertTrue(denied.evidence().contains("patch deployments.apps in ai-serving"), denied.evidence());
    }

    @Test
    void theVerbsCoverTheDataAndEveryRenderedKind() {
        List<AccessVerbs.Verb> verbs = AccessVerbs.all(fx.context("production").rendered);
        assertTrue(verbs.stream().anyMatch(v -> v.resource().equals("nodes") && v.verb().equals("patch") && v.namespace() == null));
        assertTrue(verbs.stream().anyMatch(v -> v.resource().equals("pods") && "exec".equals(v.subresource())));
        for (String kind : List.of("servicemonitors", "prometheusrules", "gateways", "poddisruptionbudgets", "networkpolicies")) {
            assertTrue(verbs.stream().anyMatch(v -> v.resource().equals(kind) && v.verb().equals("patch")), kind + " in " + verbs);
        }
    }

    @Test
    void thePodsMetricServedAndScalingActiveIsOk() {
        AtomicReference<String> asked = new AtomicReference<>();
        fx.cluster.route("GET", PODS_METRIC, request -> {
            asked.set(request.getPath());
            return DoctorFixture.json(200, DoctorFixture.resource("custom-metrics-pods.json"));
        });
        fx.load("hpa.yaml", Map.of("SCALING_ACTIVE\n", ACTIVE_TRUE));
        List<CheckResult> r = new AutoscalingChecks(fx.context("production")).run();
        assertEquals(Status.OK, one(r, "hpa-metric").status(), r.toString());
        assertTrue(one(r, "hpa-metric").evidence().contains("2 value(s), e.g. vllm-chatbot-6d9f7c5b8-x2k4q = 3"), r.toString());
        assertTrue(asked.get().contains("labelSelector=app.kubernetes.io%2Fname%3Dvllm-chatbot%2Cchatbotctl.io%2Ftrack%3Dstable"), asked.get());
        assertEquals(Status.OK, one(r, "hpa-scaling-active").status());
        assertTrue(one(r, "hpa-scaling-active").evidence().startsWith("ScalingActive=True (ValidMetricFound)"), r.toString());
    }

    @Test
    void aMetricNotServedOrEmptyAndScalingActiveFalseFail() {
        fx.cluster.route("GET", PODS_METRIC, request -> DoctorFixture.notFound(
                "the server could not find the metric vllm_num_requests_waiting for pods"));
        fx.load("hpa.yaml", Map.of("SCALING_ACTIVE\n", ACTIVE_FALSE));
        List<CheckResult> r = new AutoscalingChecks(fx.context("production")).run();
        assertEquals(Status.FAIL, one(r, "hpa-metric").status(), r.toString());
        assertTrue(one(r, "hpa-metric").evidence().contains("answered 404 or no metric list (not served)"), r.toString());
        assertEquals(Status.FAIL, one(r, "hpa-scaling-active").status());
        assertTrue(one(r, "hpa-scaling-active").evidence().contains("FailedGetPodsMetric"), r.toString());

        fx.cluster.route("GET", PODS_METRIC, request -> DoctorFixture.json(200,
                "{\"kind\":\"MetricValueList\",\"apiVersion\":\"custom.metrics.k8s.io/v1beta2\",\"metadata\":{},\"items\":[]}"));
        r = new AutoscalingChecks(fx.context("production")).run();
        assertTrue(one(r, "hpa-metric").evidence().contains("no value for the pods"), r.toString());
    }

    @Test
    void withoutAConditionOrWithoutTheHpaItWarnsAndAnExternalMetricIsAskedOfItsApi() {
        fx.cluster.route("GET", PODS_METRIC, request -> DoctorFixture.json(200, DoctorFixture.resource("custom-metrics-pods.json")));
        List<CheckResult> r = new AutoscalingChecks(fx.context("production")).run();
        assertEquals(Status.WARN, one(r, "hpa-scaling-active").status(), "not deployed: " + r);
        assertEquals(Status.OK, one(r, "hpa-metric").status(), "the rendered HPA's metric: " + r);

        fx.load("hpa.yaml", Map.of("SCALING_ACTIVE\n", "", "type: Pods\n      pods:\n        metric:\n          name: vllm_num_requests_waiting",
                "type: External\n      external:\n        metric:\n          name: vllm_queue_depth\n          selector:\n            matchLabels:\n              service: vllm-chatbot"));
        fx.cluster.route("GET", "/apis/external.metrics.k8s.io/v1beta1/namespaces/ai-serving/vllm_queue_depth?labelSelector=service%3Dvllm-chatbot",
                request -> DoctorFixture.json(200, DoctorFixture.resource("external-metrics.json")));
        r = new AutoscalingChecks(fx.context("production")).run();
        assertEquals(Status.WARN, one(r, "hpa-scaling-active").status(), r.toString());
        assertEquals(Status.OK, one(r, "hpa-metric").status(), r.toString());
        assertTrue(one(r, "hpa-metric").evidence().contains("External metric vllm_queue_depth: 1 value(s)"), r.toString());
    }

    private List<CheckResult> traffic(String gc, String gw, String refs) {
        fx.cluster.reset();
        fx.gatewayCrds();
        fx.load("gateway-api.yaml", Map.of("GC_ACCEPTED", gc, "GW_PROGRAMMED", gw, "ROUTE_REFS", refs,
                "ROUTE_REASON", refs.equals("True") ? "ResolvedRefs" : "BackendNotFound"));
        return new TrafficChecks(fx.context("production")).run();
    }

    @Test
    void gatewayApiAcceptedProgrammedAndResolvedIsOk() {
        List<CheckResult> r = traffic("True", "True", "True");
        r.forEach(c -> assertEquals(Status.OK, c.status(), c.toString()));
        assertEquals(4, r.size(), r.toString());
        assertTrue(one(r, "gateway-programmed").evidence().contains("elb.amazonaws.com"), r.toString());
        assertTrue(one(r, "gatewayclass-accepted").evidence().contains("controller gateway.k8s.aws/alb"), r.toString());
    }

    @Test
    void eachConditionThatIsNotTrueFails() {
        assertEquals(Status.FAIL, one(traffic("False", "True", "True"), "gatewayclass-accepted").status());
        assertEquals(Status.FAIL, one(traffic("True", "False", "True"), "gateway-programmed").status());
        CheckResult route = one(traffic("True", "True", "False"), "httproute-accepted");
        assertEquals(Status.FAIL, route.status());
        assertTrue(route.evidence().contains("ResolvedRefs=False (BackendNotFound)"), route.evidence());
    }

    @Test
    void withoutTheCrdsItFailsAndBeforeTheFirstDeployItWarns() {
        List<CheckResult> r = new TrafficChecks(fx.context("production")).run();
        assertEquals(Status.FAIL, one(r, "gateway-crds").status());
        assertTrue(one(r, "gateway-crds").evidence().contains("httproutes.gateway.networking.k8s.io"), r.toString());

        fx.gatewayCrds();
        r = new TrafficChecks(fx.context("production")).run();
        assertEquals(Status.FAIL, one(r, "gatewayclass-accepted").status(), "no class: " + r);
        assertEquals(Status.WARN, one(r, "gateway-programmed").status(), r.toString());
        assertEquals(Status.WARN, one(r, "httproute-accepted").status(), r.toString());
    }
}
