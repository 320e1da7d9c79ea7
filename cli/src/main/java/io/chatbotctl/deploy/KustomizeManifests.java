package io.chatbotctl.deploy;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.manifest.ImageOverrides;
import io.chatbotctl.manifest.LintFinding;
import io.chatbotctl.manifest.LintReport;
import io.chatbotctl.manifest.ManifestLinter;
import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.RenderOptions;
import io.chatbotctl.manifest.RenderedManifests;
import io.chatbotctl.manifest.Severity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The environment's Kustomize overlay, rendered and linted by the manifest package. */
public final class KustomizeManifests implements ManifestSource {
    private final Path overlay;

    public KustomizeManifests(Path overlay) {
        if (overlay == null) {
            throw new InvalidInputException("the environment has no overlay",
                    "set environments.NAME.overlay in chatbotctl.yaml (e.g. manifests/overlays/staging)");
        }
        if (!Files.isDirectory(overlay)) {
            throw new InvalidInputException("overlay " + overlay + " does not exist",
                    "fix environments.NAME.overlay in chatbotctl.yaml");
        }
        this.overlay = overlay;
    }

    @Override
    public Manifests render(ImageOverrides images) {
        RenderedManifests rendered = ManifestRenderer.render(overlay, RenderOptions.of(images));
        return new Manifests(rendered.yaml(), rendered.objects());
    }

    @Override
    public List<String> lintErrors(Manifests manifests) {
        LintReport report = ManifestLinter.lint(new RenderedManifests(manifests.objects()), overlay.toString());
        List<String> errors = new ArrayList<>();
        for (LintFinding f : report.findings()) {
            if (f.severity() == Severity.ERROR) {
                errors.add(f.check() + ": " + f.object() + ": " + f.message());
            }
        }
        return errors;
    }
}
