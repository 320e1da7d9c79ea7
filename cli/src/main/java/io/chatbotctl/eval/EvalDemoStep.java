package io.chatbotctl.eval;

import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The demo's eval step: the smoke dataset against a simulator answering from {@code evals/responses/good-model.yaml}
 * (the shared demo simulator gives generic answers, so this step starts its own), then the smoke gate. Results,
 * JUnit XML and Markdown go to {@code REPORT_DIR/eval/}.
 */
public final class EvalDemoStep implements DemoStep {
    @Override
    public String title() {
        return "run the eval gate";
    }

    @Override
    public String run(DemoContext context) throws InterruptedException {
        Path evals = context.projectDir().resolve("evals");
        Path out = context.reportDir().resolve("eval");
        try (Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0)
                .responses(evals.resolve("responses/good-model.yaml")).build())) {
            EvalSettings settings = EvalSettings.of(sim.baseUrl(), List.of(evals.resolve("smoke.jsonl")))
                    .withSystemPrompt(systemPrompt(evals.resolve("system-prompt.txt")))
                    .withRun(4, 1, Duration.ofSeconds(30), 2, Duration.ofMillis(100));
            EvalResults results = new EvalRunner(context.progress())
                    .run(settings, new EvalReports(out.resolve("results.json"), out.resolve("results.xml"), null));
            GateResult gate = new Gate().evaluate(results, Thresholds.load(evals.resolve("thresholds-smoke.yaml")), null);
            JunitReport.writeGate(out.resolve("gate.xml"), gate);
            MarkdownReport.writeGate(out.resolve("gate.md"), gate);
            String summary = "smoke " + results.summary().passed() + "/" + results.summary().cases() + " passed against "
                    + sim.baseUrl() + " (good-model responses), gate " + gate.verdict() + "; reports in " + out;
            if (gate.exitCode() != 0) {
                throw new CheckFailedException(summary);
            }
            return summary;
        }
    }

    private static String systemPrompt(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
