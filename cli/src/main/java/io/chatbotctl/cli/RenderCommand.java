package io.chatbotctl.cli;

import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.RenderedManifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code chatbotctl render}: the manifests of an environment, as {@code kubectl kustomize} would print them. */
@Command(name = "render", mixinStandardHelpOptions = true, description = {
        "Render the Kubernetes manifests of an environment (Kustomize-compatible, in Java).",
        "Prints multi-document YAML, as kubectl kustomize does; -o json prints a JSON list."},
        footer = {"", "Examples:", "  chatbotctl render --env production | kubectl diff -f -",
                "  chatbotctl render --dir manifests/overlays/staging --image :v0.11.0 --set MAX_NUM_SEQS=48"})
public class RenderCommand extends BaseCommand {
    @Mixin
    ManifestSourceOptions source;

    @Override
    public Integer call() {
        RenderedManifests manifests = ManifestRenderer.render(source.directory(this), source.renderOptions());
        Output output = output();
        output.out().print(output.format() == OutputFormat.json ? manifests.json() : manifests.yaml());
        output.out().flush();
        return 0;
    }
}
