package io.chatbotctl.manifest;

import java.nio.file.Path;

/** Render-then-lint, the one call {@code lint}, {@code deploy} and the demo make. */
public final class ManifestService {
    private ManifestService() {}

    public static LintReport renderAndLint(Path kustomizationDir, RenderOptions options) {
        RenderedManifests manifests = ManifestRenderer.render(kustomizationDir, options);
        return ManifestLinter.lint(manifests, kustomizationDir.toString());
    }
}
