package io.chatbotctl.cli;

import io.chatbotctl.core.ExitCode;
import io.chatbotctl.manifest.LintReport;
import io.chatbotctl.manifest.ManifestService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code chatbotctl lint}: GPU-aware checks of the rendered manifests; exit 1 on errors. */
@Command(name = "lint", description = {
        "GPU-aware checks of the rendered manifests: GPU requests, tolerations, /dev/shm, probes and the startup",
        "budget, rollout strategy, HPA and its adapter rule, PDB, resources, image tags, and whether the model fits",
        "the GPU. Exit 1 when a check finds an error."})
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
