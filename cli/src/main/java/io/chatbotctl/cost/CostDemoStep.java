package io.chatbotctl.cost;

import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;
import io.chatbotctl.core.Json;

/** The demo's last step: the monthly cost of the production overlay, written as cost-estimate.json. */
public final class CostDemoStep implements DemoStep {
    @Override
    public String title() {
        return "estimate the monthly cost";
    }

    @Override
    public String run(DemoContext context) throws Exception {
        CostEstimate estimate = new CostService().estimate(
                context.projectDir().resolve("manifests/overlays/production"), null, 5000);
        AtomicFiles.writeString(context.reportDir().resolve("cost-estimate.json"),
                Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(estimate));
        return "production: " + estimate.summary();
    }
}
