package io.chatbotctl.cli;

import io.chatbotctl.demo.Demo;
import io.chatbotctl.demo.DemoResult;
import io.chatbotctl.core.DemoStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

@Command(name = "demo", description = {
        "Run the whole pipeline on this machine, without a GPU or a cluster: simulator, model sync, manifests,",
        "load test, eval gate, canary analysis and cost estimate, on embedded defaults."})
public class DemoCommand extends BaseCommand {

    @Option(names = "--report-dir", paramLabel = "DIR", description = "Where reports are written (default: reports/demo).")
    Path reportDir;

    @Override
    public Integer call() {
        Path projectDir = projectDir();
        Path dir = reportDir != null ? environment().workingDir().resolve(reportDir)
                : projectDir.resolve("reports").resolve("demo");
        DemoResult result = new Demo().run(steps(), dir.normalize(), projectDir, output().progress());
        output().print(result);
        return result.succeeded() ? 0 : 1;
    }

    /** The steps in order: each capability's own {@code *DemoStep}. */
    public static List<DemoStep> steps() {
        return List.of(
                new io.chatbotctl.sim.SimulatorDemoStep(),
                new io.chatbotctl.proxy.ProxyDemoStep(),
                new io.chatbotctl.modelsync.ModelSyncDemoStep(),
                new io.chatbotctl.manifest.ManifestDemoStep(),
                new io.chatbotctl.loadtest.LoadTestDemoStep(),
                new io.chatbotctl.eval.EvalDemoStep(),
                new io.chatbotctl.canary.CanaryDemoStep(),
                new io.chatbotctl.cost.CostDemoStep());
    }

    /** The directory of the chatbotctl.yaml in use (the repository root), else the working directory. */
    private Path projectDir() {
        Path config = configLoader().locate(overrides());
        return config != null ? config.toAbsolutePath().getParent() : environment().workingDir();
    }
}
