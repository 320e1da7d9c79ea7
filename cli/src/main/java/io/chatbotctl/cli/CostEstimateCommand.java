package io.chatbotctl.cli;

import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.cost.CostEstimate;
import io.chatbotctl.cost.CostService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "estimate", description = "Monthly cost of an environment from its overlay (GPU instance type, HPA "
        + "bounds, on-demand base and spot burst) and a pricing file; whether the model fits the GPU. Exit 1 when over budget.")
public class CostEstimateCommand extends BaseCommand {

    @Option(names = "--budget", paramLabel = "USD", defaultValue = "5000", description = "Monthly budget in US dollars (default: ${DEFAULT-VALUE}).")
    double budget;

    @Option(names = "--pricing", paramLabel = "FILE", description = "Pricing file (default: the built-in prices; see docs/cost.md).")
    Path pricing;

    @Option(names = "--dir", paramLabel = "PATH", description = "Estimate this Kustomize directory instead of the environment's overlay.")
    Path dir;

    @Override
    public Integer call() {
        Path overlay = dir != null ? environment().workingDir().resolve(dir) : overlay(requiredEnvironment());
        Path pricingFile = pricing == null ? null : environment().workingDir().resolve(pricing);
        CostEstimate estimate = new CostService().estimate(overlay.normalize(), pricingFile, budget);
        output().print(estimate);
        if (estimate.overBudget()) {
            output().warn("over budget: " + estimate.summary());
            return 1;
        }
        return 0;
    }

    private static Path overlay(EnvironmentConfig env) {
        if (env.overlay() == null) {
            throw new InvalidInputException("environment " + env.name() + " has no overlay in chatbotctl.yaml",
                    "set environments." + env.name() + ".overlay, or pass --dir");
        }
        return Path.of(env.overlay());
    }
}
