package io.chatbotctl.cli;

import io.chatbotctl.eval.EvalResults;
import io.chatbotctl.eval.Gate;
import io.chatbotctl.eval.GateResult;
import io.chatbotctl.eval.JunitReport;
import io.chatbotctl.eval.MarkdownReport;
import io.chatbotctl.eval.Thresholds;
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

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write the verdict as Markdown (for a PR comment).")
    Path markdown;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML, one test case per eval case and per rule.")
    Path junit;

    @Override
    public Integer call() {
        Path cwd = environment().workingDir();
        EvalResults current = EvalResults.read(cwd.resolve(results));
        Thresholds rules = Thresholds.load(cwd.resolve(thresholds));
        EvalResults base = baseline == null ? null : EvalResults.read(cwd.resolve(baseline));
        GateResult gate = new Gate().evaluate(current, rules, base);
        if (markdown != null) {
            MarkdownReport.writeGate(cwd.resolve(markdown), gate);
        }
        if (junit != null) {
            JunitReport.writeGate(cwd.resolve(junit), gate);
        }
        output().print(gate);
        return gate.exitCode();
    }
}
