package io.chatbotctl.cost;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.RenderOptions;
import io.chatbotctl.manifest.ServiceShape;

import java.nio.file.Path;
import java.util.List;

/** Renders an overlay, reads its capacity (instance type, HPA bounds, on-demand base, spot) and prices it. */
public final class CostService {

    /**
     * @param overlay     the Kustomize overlay of the environment
     * @param pricingFile a pricing file, or null for the built-in prices
     * @param budget      the monthly budget in US dollars
     */
    public CostEstimate estimate(Path overlay, Path pricingFile, double budget) {
        ServiceShape shape = ManifestRenderer.render(overlay, RenderOptions.none()).serviceShape();
        if (shape.instanceType() == null) {
            throw new InvalidInputException("the Deployment in " + overlay + " has no nodeSelector "
                    + ServiceShape.INSTANCE_TYPE_LABEL + ", so its GPU instance type is unknown",
                    "pin the GPU node type in the overlay's nodeSelector");
        }
        CostInputs inputs = new CostInputs(shape.instanceType(), shape.onDemandBaseReplicas(), shape.minReplicas(), shape.maxReplicas(),
                shape.spotAllowed(), overlay.toString());
        Pricing pricing = pricingFile == null ? PricingLoader.defaults() : PricingLoader.load(pricingFile);
        return new CostEstimator().estimate(inputs, pricing, budget, List.of());
    }
}
