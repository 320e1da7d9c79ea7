package io.chatbotctl.kube;

import io.chatbotctl.cli.AccessOptions;
import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.config.WorkloadNames;
import io.chatbotctl.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which URL goes through the API server, and to which Service: the pure part of docs/access.md. */
class ServiceRoutesTest {
    private static final ServiceRef CHATBOT = ServiceRef.http("ai-serving", "vllm-service", "http");
    private static final String GATEWAY = "https://chatbot-staging.internal.example.com/v1";
    private static final String PROMETHEUS = "http://prometheus-operated.monitoring.svc:9090";

    @Test
    void serviceHostsAreNameNamespaceSvcWithOrWithoutTheClusterDomain() {
        assertEquals(Optional.of(ServiceRef.http("monitoring", "prometheus-operated", "9090")), service(PROMETHEUS));
        assertEquals(Optional.of(ServiceRef.http("ai-serving", "vllm-service", "9400")),
                service("http://vllm-service.ai-serving.svc.cluster.local:9400/metrics"));
        assertEquals(Optional.of(ServiceRef.http("ai-serving", "vllm-service", "8000")),
                service("http://VLLM-Service.AI-Serving.svc.corp.internal:8000/v1"), "any cluster domain; DNS is case-blind");
        assertEquals(Optional.of(ServiceRef.http("monitoring", "grafana", "80")), service("http://grafana.monitoring.svc"));
        assertEquals(Optional.of(new ServiceRef("https", "monitoring", "thanos", "443")), service("https://thanos.monitoring.svc/"));
        for (String notAService : new String[]{"http://vllm-service.ai-serving:8000/v1", "http://vllm-service:8000",
                "http://localhost:9090", "http://127.0.0.1:9090", GATEWAY, "http://svc.example.com", "http://a.b.svcx:80"}) {
            assertEquals(Optional.empty(), service(notAService), notAService);
        }
    }

    @Test
    void autoRelaysServiceHostsOnlyDirectNeverApiServerAlways() {
        ServiceRoutes.Route prometheus = ServiceRoutes.route(PROMETHEUS, Access.AUTO, null);
        assertTrue(prometheus.relayed());
        assertEquals("prometheus-operated.monitoring:9090", prometheus.service().toString());
        assertEquals("http://127.0.0.1:5", prometheus.through("http://127.0.0.1:5"));

        assertFalse(ServiceRoutes.route(GATEWAY, Access.AUTO, () -> CHATBOT).relayed(), "auto leaves the Gateway direct");
        assertFalse(ServiceRoutes.route(PROMETHEUS, Access.DIRECT, null).relayed());
        assertEquals(PROMETHEUS, ServiceRoutes.route(PROMETHEUS, Access.DIRECT, null).through("http://127.0.0.1:5"));

        ServiceRoutes.Route gateway = ServiceRoutes.route(GATEWAY + "?debug=1", Access.API_SERVER, () -> CHATBOT);
        assertEquals(CHATBOT, gateway.service(), "a URL naming no Service goes to the chatbot's Service in api-server mode");
        assertEquals("http://127.0.0.1:5/v1?debug=1", gateway.through("http://127.0.0.1:5"));
        assertEquals(ServiceRef.http("ai-serving", "vllm-service", "8000"),
                ServiceRoutes.route("http://vllm-service.ai-serving.svc:8000/v1", Access.API_SERVER, () -> CHATBOT).service(),
                "a URL naming a Service keeps it");
    }

    @Test
    void theFallbackIsAskedForOnlyWhenUsedAndItsAbsenceIsBadInput() {
        ServiceRoutes.route(PROMETHEUS, Access.API_SERVER, () -> { throw new AssertionError("not needed"); });
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ServiceRoutes.route("http://prometheus.example.com:9090", Access.API_SERVER, null));
        assertEquals(3, e.exitCode());
        assertTrue(e.getMessage().contains("names no Service (NAME.NAMESPACE.svc)"), e.getMessage());
        assertEquals(3, assertThrows(InvalidInputException.class, () -> ServiceRoutes.route("not a url", Access.API_SERVER, null)).exitCode());
        assertFalse(ServiceRoutes.route("not a url", Access.AUTO, null).relayed(), "auto leaves it to the client, which names what it is");
    }

    @Test
    void proxyPathsAreTheApiServersLiteralSyntax() {
        assertEquals("/api/v1/namespaces/ai-serving/services/vllm-service:http/proxy", CHATBOT.proxyPath());
        assertEquals("/api/v1/namespaces/monitoring/services/https:thanos:443/proxy",
                new ServiceRef("https", "monitoring", "thanos", "443").proxyPath());
        assertEquals("/api/v1/namespaces/default/services/web/proxy", ServiceRef.http("default", "web", null).proxyPath());
    }

    @Test
    void accessIsChosenByOptionThenVariableThenConfigThenAuto() {
        assertEquals(Access.LABELS, EnvironmentConfig.ACCESS_VALUES, "chatbotctl.yaml accepts exactly the modes");
        assertEquals(Access.API_SERVER, Access.select("api-server", "direct", "direct"));
        assertEquals(Access.DIRECT, Access.select(null, "direct", "api-server"));
        assertEquals(Access.API_SERVER, Access.select(null, null, "api-server"));
        assertEquals(Access.AUTO, Access.select(null, " ", null));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Access.select(null, "kubectl", null));
        assertEquals("CHATBOTCTL_ACCESS: 'kubectl' is not one of auto, direct, api-server", e.getMessage());
    }

    @Test
    void theCanaryTrackSwapsTheStableServiceForItsCanary() {
        WorkloadNames names = WorkloadNames.defaults();
        assertEquals("http://vllm-service-canary.ai-serving.svc:8000/v1",
                AccessOptions.canaryUrl("http://vllm-service.ai-serving.svc:8000/v1", names));
        assertEquals(GATEWAY, AccessOptions.canaryUrl(GATEWAY, names), "the Gateway routes by header");
        assertEquals(PROMETHEUS, AccessOptions.canaryUrl(PROMETHEUS, names));
        assertNull(ServiceRoutes.route(GATEWAY, Access.DIRECT, null).service());
    }

    private static Optional<ServiceRef> service(String url) {
        return ServiceRoutes.service(URI.create(url));
    }
}
