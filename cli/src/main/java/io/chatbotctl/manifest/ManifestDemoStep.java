package io.chatbotctl.manifest;

import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;
import io.chatbotctl.core.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders both overlays into the report directory and lints them; a lint error fails the demo. */
public final class ManifestDemoStep implements DemoStep {
    @Override
    public String title() {
        return "render and lint the manifests";
    }

    @Override
    public String run(DemoContext context) throws Exception {
        List<String> summaries = new ArrayList<>();
        for (String env : List.of("staging", "production")) {
            Path overlay = context.projectDir().resolve("manifests/overlays/" + env);
            RenderedManifests manifests = ManifestRenderer.render(overlay, RenderOptions.none());
            AtomicFiles.writeString(context.reportDir().resolve("manifests-" + env + ".yaml"), manifests.yaml());
            LintReport report = ManifestLinter.lint(manifests, "manifests/overlays/" + env, overlay);
            AtomicFiles.writeString(context.reportDir().resolve("lint-" + env + ".json"),
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
            if (report.hasErrors()) {
                throw new CheckFailedException("lint found " + report.errors() + " error(s) in " + env,
                        "see " + context.reportDir().resolve("lint-" + env + ".json"));
            }
            summaries.add(env + " " + manifests.objects().size() + " objects, " + report.errors() + " errors, "
                    + report.warnings() + " warnings");
        }
        return String.join("; ", summaries);
    }
}
