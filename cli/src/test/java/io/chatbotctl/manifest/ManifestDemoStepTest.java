package io.chatbotctl.manifest;

import io.chatbotctl.core.DemoContext;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestDemoStepTest {
    @Test
    void rendersAndLintsBothOverlaysIntoTheReportDirectory(@TempDir Path reports) throws Exception {
        try (DemoContext context = new DemoContext(reports, Repository.root(), io.chatbotctl.core.Progress.NONE)) {
            String summary = new ManifestDemoStep().run(context);
            assertEquals("staging 16 objects, 0 errors, 1 warnings; production 16 objects, 0 errors, 1 warnings", summary);
        }
        for (String env : new String[]{"staging", "production"}) {
            assertEquals(Kubectl.kustomizeText(Repository.file("manifests/overlays/" + env)),
                    Files.readString(reports.resolve("manifests-" + env + ".yaml")));
            assertTrue(Files.readString(reports.resolve("lint-" + env + ".json")).contains("\"errors\" : 0"));
        }
    }
}
