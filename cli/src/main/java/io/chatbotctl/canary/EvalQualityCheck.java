package io.chatbotctl.canary;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import io.chatbotctl.core.Progress;
import io.chatbotctl.eval.EvalResults;
import io.chatbotctl.eval.EvalRunner;
import io.chatbotctl.eval.EvalSettings;
import io.chatbotctl.eval.Gate;
import io.chatbotctl.eval.GateResult;
import io.chatbotctl.eval.Thresholds;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The eval in the loop: {@code eval run} (EvalRunner) against the service's endpoint with the canary header, so
 * only the canary answers, then {@code eval gate} (Gate) on the answers, optionally against stable's baseline
 * results. No response cache: a cached answer could be stable's, or an earlier canary's.
 */
public final class EvalQualityCheck implements QualityCheck {
    private final String endpoint;
    private final String header;
    private final EvalSettings settings;
    private final Thresholds thresholds;
    private final EvalResults baseline;
    private final Progress progress;

    /**
     * @param endpoint   the service's OpenAI base URL through the Gateway (the environment's {@code endpoint})
     * @param header     the canary header's name
     * @param apiKey     the API key for the endpoint, or null
     * @param datasets   the eval datasets
     * @param thresholds the gate's thresholds file
     * @param baseline   stable's results ({@code eval run -o json} of the stable release), or null
     */
    public EvalQualityCheck(String endpoint, String header, String apiKey, List<Path> datasets, Path thresholds,
                            Path baseline, Progress progress) {
        this.endpoint = endpoint;
        this.header = header;
        this.thresholds = Thresholds.load(thresholds);
        this.baseline = baseline == null ? null : EvalResults.read(baseline);
        this.progress = progress;
        this.settings = EvalSettings.of(endpoint, datasets)
                .withSampling(null, EvalSettings.DEFAULT_SEED, EvalSettings.DEFAULT_MAX_TOKENS, apiKey)
                .withTarget(Map.of(header, CanaryNames.CANARY_ONLY), null)
                .withCache(null);
    }

    @Override
    public EvalEvidence check(int interval) throws InterruptedException {
        String route = header + ": " + CanaryNames.CANARY_ONLY + " via " + endpoint;
        progress.log("interval " + interval + ": eval against the canary (" + route + ")");
        EvalResults results;
        try {
            results = new EvalRunner(progress).run(settings);
        } catch (ChatbotctlException e) {
            if (e.exitCode() == ExitCode.EXTERNAL_FAILURE) {
                return EvalEvidence.unreachable(route, e.getMessage());
            }
            throw e;
        }
        GateResult gate = new Gate().evaluate(results, thresholds, baseline);
        EvalResults.Summary s = results.summary();
        String reason = "eval gate " + gate.verdict() + ": " + s.passed() + "/" + (s.passed() + s.failed()) + " passed"
                + (s.errors() > 0 ? ", " + s.errors() + " without an answer" : "")
                + gate.checks().stream().filter(c -> !c.status().equals("pass"))
                .map(c -> "; " + c.name() + " " + c.actual() + " (limit " + c.limit() + ")").reduce("", String::concat);
        return new EvalEvidence(gate.verdict(), route, s.cases(), s.passed(), s.failed(), s.errors(), s.passRate(),
                baseline == null ? null : baseline.summary().passRate(), thresholds.minPassRate(), gate.checks(),
                gate.failingCases(), gate.baseline() == null ? List.of() : gate.baseline().passToFail(),
                gate.baseline() == null ? List.of() : gate.baseline().failToPass(), reason);
    }
}
