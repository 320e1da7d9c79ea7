package io.chatbotctl.canary;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.RenderOptions;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canary's edits of the rendered HTTPRoute: added, stepped, read back, taken away again without a trace. */
class RouteWeightsTest {
    static ObjectNode route() {
        return ManifestRenderer.render(Repository.file("manifests/overlays/production"), RenderOptions.none())
                .find("HTTPRoute", "vllm-chatbot").orElseThrow();
    }

    @Test
    void addStepReadAndRemove() {
        ObjectNode rendered = route();
        assertTrue(RouteWeights.routesToStable(CanaryNames.DEFAULTS, rendered));
        assertNull(RouteWeights.weight(CanaryNames.DEFAULTS, rendered));
        ObjectNode canary = RouteWeights.withCanary(CanaryNames.DEFAULTS, rendered, "X-Canary", 10);
        assertEquals(10, RouteWeights.weight(CanaryNames.DEFAULTS, canary));
        assertEquals("X-Canary", RouteWeights.header(canary));
        CanaryGatewayTest.assertRulesAt(canary, 90);
        ObjectNode stepped = RouteWeights.withWeight(CanaryNames.DEFAULTS, canary, 50);
        assertEquals(50, RouteWeights.weight(CanaryNames.DEFAULTS, stepped));
        assertEquals(3, stepped.at("/spec/rules").size(), "stepping changes weights only");
        assertEquals(rendered, RouteWeights.withoutCanary(CanaryNames.DEFAULTS, stepped), "removal restores the route as rendered");
        assertEquals(canary, RouteWeights.withCanary(CanaryNames.DEFAULTS, canary, "X-Canary", 10), "starting again does not add rules twice");
        assertEquals(0, RouteWeights.weight(CanaryNames.DEFAULTS, RouteWeights.withWeight(CanaryNames.DEFAULTS, canary, 0)));
    }
}
