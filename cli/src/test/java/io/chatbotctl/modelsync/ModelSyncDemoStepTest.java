package io.chatbotctl.modelsync;

import io.chatbotctl.core.Progress;
import io.chatbotctl.demo.Demo;
import io.chatbotctl.demo.DemoResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSyncDemoStepTest {
    @TempDir
    Path reports;

    @Test
    void pushesAGeneratedModelToEmbeddedS3AndSyncsItBackVerified() throws Exception {
        DemoResult result = new Demo().run(List.of(new ModelSyncDemoStep()), reports, reports, Progress.NONE);

        DemoResult.StepResult step = result.steps().get(0);
        assertEquals("ok", step.status(), step.summary());
        assertTrue(step.summary().contains("pushed 6 files") && step.summary().contains("verify --deep ok"), step.summary());
        assertEquals(S3Fixture.hashes(reports.resolve("model-source")), S3Fixture.hashes(reports.resolve("model")));
        assertTrue(Files.isRegularFile(reports.resolve("model/.chatbotctl/COMPLETE")));
        assertTrue(Files.isRegularFile(reports.resolve("model-sync.json")));
        assertTrue(io.chatbotctl.cli.DemoCommand.steps().stream().anyMatch(s -> s instanceof ModelSyncDemoStep));
    }

    /** chatbotctl.jar alone (the container image) has no S3Proxy: the step says so and how to get it, and the demo goes on. */
    @Test
    void withoutS3ProxyOnTheClasspathTheStepIsSkippedWithTheCommandThatBuildsIt() {
        S3ProxyJar absent = new S3ProxyJar("org.gaul.s3proxy.NotThere");
        DemoResult result = new Demo().run(List.of(new ModelSyncDemoStep(absent)), reports, reports, Progress.NONE);

        DemoResult.StepResult step = result.steps().get(0);
        assertEquals(DemoResult.Status.SKIPPED, step.outcome(), step.summary());
        assertTrue(result.succeeded());
        assertEquals("the embedded S3 needs S3Proxy, which is not on the classpath (chatbotctl-s3proxy.jar is missing)",
                step.summary());
        assertEquals("mvn -DskipTests package, then ./chatbotctl demo", step.toRun());
        assertTrue(S3ProxyJar.ON_CLASSPATH.present(), "the tests run with S3Proxy on the classpath");
    }
}
