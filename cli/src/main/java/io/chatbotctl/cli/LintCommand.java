package io.chatbotctl.cli;

import io.chatbotctl.core.ExitCode;
import io.chatbotctl.manifest.LintReport;
import io.chatbotctl.manifest.ManifestService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code chatbotctl lint}: GPU-aware checks of the rendered manifests; exit 1 on errors. */
@Command(name = "lint", mixinStandardHelpOptions = true, description = {
        "GPU-aware checks of the rendered manifests: GPU requests = limits, tolerations,",
        "/dev/shm, startup budget, readiness on /health, maxUnavailable 0, HPA bounds and",
        "metric, PDB, resources, image tags, and whether the model fits the GPU.",
        "Exit 1 when a check reports an error (docs/manifests.md lists the checks)."},
        footer = {"", "Examples:", "  chatbotctl lint --env production",
                "  chatbotctl lint --env production --set DTYPE=float32 --set QUANTIZATION=none -o json"})
public class LintCommand extends BaseCommand {
    @Mixin
    ManifestSourceOptions source;

    @Override
    public Integer call() {
        LintReport report = ManifestService.renderAndLint(source.directory(this), source.renderOptions());
        output().print(report);
        return report.hasErrors() ? ExitCode.CHECK_FAILED : ExitCode.OK;
    }
}
