package io.chatbotctl.cli;

import io.chatbotctl.eval.Gate;
import io.chatbotctl.eval.GateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "gate", sortOptions = false, mixinStandardHelpOptions = true, description = {
        "Check eval results against the thresholds and, with --baseline, against an earlier run case by case.",
        "Exit 0 pass, 1 fail, 5 inconclusive (too many infrastructure errors or too few cases)."})
public class EvalGateCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "RESULTS", description = "Results JSON written by 'eval run --out'.")
    Path results;

    @Option(names = "--thresholds", paramLabel = "FILE", defaultValue = "evals/thresholds.yaml",
            description = "Gate rules (default: ${DEFAULT-VALUE}).")
    Path thresholds;

    @Option(names = "--baseline", paramLabel = "FILE", description = "Results of the baseline run to compare with.")
    Path baseline;

    @Option(names = "--baseline-dir", paramLabel = "DIR", description = "Pick the baseline of the results' model and revision:"
            + " DIR/<model>@<revision>.json (e.g. evals/baselines); none there: inconclusive (exit 5).")
    Path baselineDir;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write the verdict as Markdown (for a PR comment).")
    Path markdown;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML, one test case per eval case and per rule.")
    Path junit;

    @Override
    public Integer call() {
        Path cwd = environment().workingDir();
        GateResult gate = new Gate().evaluate(cwd.resolve(results), cwd.resolve(thresholds),
                baseline == null ? null : cwd.resolve(baseline), baselineDir == null ? null : cwd.resolve(baselineDir), markdown == null ? null : cwd.resolve(markdown),
                junit == null ? null : cwd.resolve(junit));
        output().print(gate);
        return gate.exitCode();
    }
}
