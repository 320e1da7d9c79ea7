package io.chatbotctl.cost;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.ModelFootprint;
import io.chatbotctl.manifest.RenderedManifests;
import io.chatbotctl.manifest.ServingSettings;
import io.chatbotctl.manifest.RenderOptions;
import io.chatbotctl.manifest.ServiceShape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders an overlay, reads its capacity (instance type, HPA bounds, on-demand base, spot) and prices it. */
public final class CostService {

    /**
     * @param overlay     the Kustomize overlay of the environment
     * @param pricingFile a pricing file, or null for the built-in prices
     * @param budget      the monthly budget in US dollars
     */
    public CostEstimate estimate(Path overlay, Path pricingFile, double budget) {
        RenderedManifests manifests = ManifestRenderer.render(overlay, RenderOptions.none());
        ServiceShape shape = manifests.serviceShape();
        if (shape.instanceType() == null) {
            throw new InvalidInputException("the Deployment in " + overlay + " has no nodeSelector "
                    + ServiceShape.INSTANCE_TYPE_LABEL + ", so its GPU instance type is unknown",
                    "pin the GPU node type in the overlay's nodeSelector");
        }
        CostInputs inputs = new CostInputs(shape.instanceType(), shape.onDemandBaseReplicas(), shape.minReplicas(), shape.maxReplicas(),
                shape.spotAllowed(), overlay.toString());
        Pricing pricing = pricingFile == null ? PricingLoader.defaults() : PricingLoader.load(pricingFile);
        return new CostEstimator().estimate(inputs, pricing, budget, modelFit(shape, manifests.servingSettings().orElse(null)));
    }

    /** Whether the model's weights, with vLLM's overhead, fit the GPU at FP16, 8-bit and AWQ 4-bit (lint's arithmetic). */
    static List<CostEstimate.ModelFitLine> modelFit(ServiceShape shape, ServingSettings settings) {
        if (settings == null || Double.isNaN(settings.modelParameters()) || shape.gpuMemoryGiB() <= 0) {
            return List.of();
        }
        List<CostEstimate.ModelFitLine> lines = new ArrayList<>();
        for (String[] precision : PRECISIONS) {
            ModelFootprint.Estimate e = ModelFootprint.estimate(settings.modelParameters(), settings.geometry(), precision[1],
                    precision[2], settings.kvCacheDtype(), settings.profiledTokens(), shape.gpuMemoryGiB(),
                    settings.gpuMemoryUtilization(), Math.max(1, settings.tensorParallelSize()));
            double needed = e.weightsBytes() + e.overheadBytes();
            lines.add(new CostEstimate.ModelFitLine(precision[0], shape.gpuModel(), e.weightsBytes() / 1e9, needed / 1e9,
                    e.budgetBytes() / 1e9, e.weightsFit()));
        }
        return lines;
    }

    /** Label, vLLM quantization, dtype. */
    private static final String[][] PRECISIONS = {
            {"FP16", "none", "float16"}, {"8-bit", "int8", "auto"}, {"AWQ 4-bit", "awq", "auto"}};
}
