package io.chatbotctl.cli;

import io.chatbotctl.demo.Demo;
import io.chatbotctl.demo.DemoResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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
        DemoResult result = new Demo().run(Demo.steps(), dir.normalize(), projectDir, output().progress());
        output().print(result);
        return result.succeeded() ? 0 : 1;
    }

    /** The directory of the chatbotctl.yaml in use (the repository root), else the working directory. */
    private Path projectDir() {
        Path config = configLoader().locate(overrides());
        return config != null ? config.toAbsolutePath().getParent() : environment().workingDir();
    }
}
