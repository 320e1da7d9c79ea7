package io.chatbotctl.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplySetTest {
    @Test
    void idFollowsTheKepFormat() {
        // KEP-3659: applyset-<base64url(sha256("<name>.<namespace>.<kind>.<group>"))>-v1, no padding
        String id = ApplySet.computeId("chatbotctl-applyset-production", "ai-serving", "Secret", "");
        assertTrue(id.matches("applyset-[A-Za-z0-9_-]{43}-v1"), id);
        assertEquals(id, new ApplySet("production", "ai-serving").id());
    }

    @Test
    void parentDeclaresSortedGroupKinds() {
        var parent = new ApplySet("staging", "ai-serving").parent(List.of("Service", "Deployment.apps", "ConfigMap"));
        assertEquals("ConfigMap,Deployment.apps,Service",
                parent.path("metadata").path("annotations").path(ApplySet.CONTAINS).asText());
        assertEquals(List.of("ConfigMap", "Deployment.apps", "Service"), ApplySet.declaredGroupKinds(parent));
    }

    @Test
    void pluralsFollowTheApiServerConvention() {
        assertEquals("networkpolicies", ResourceKinds.plural("NetworkPolicy"));
        assertEquals("ingresses", ResourceKinds.plural("Ingress"));
        assertEquals("horizontalpodautoscalers", ResourceKinds.plural("HorizontalPodAutoscaler"));
        assertEquals("prometheusrules", ResourceKinds.plural("PrometheusRule"));
        assertEquals("endpoints", ResourceKinds.plural("Endpoints"));
    }
}
