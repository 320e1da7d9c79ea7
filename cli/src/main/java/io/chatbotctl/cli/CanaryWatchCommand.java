package io.chatbotctl.cli;

import io.chatbotctl.canary.CanaryReport;
import io.chatbotctl.canary.CanaryService;
import io.chatbotctl.canary.EvalInLoop;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.openai.OpenAiClient;
import io.chatbotctl.canary.Outcome;
import io.chatbotctl.canary.WatchOptions;
import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.kube.ServiceAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

@Command(name = "watch", description = {
        "Judge the canary against stable every interval (Mann-Whitney U with the Hodges-Lehmann shift, Kayenta's rules),",
        "step the weight up on Pass, promote after the last step, roll back on Fail. With --eval-dataset, the eval gate",
        "against the canary is a critical metric of every interval.",
        "Exit 0 promoted (or passed), 1 failed / rolled back, 5 inconclusive, 4 Prometheus unreachable (nothing promoted)."})
public class CanaryWatchCommand extends BaseCommand {
    static final String ANALYSIS_VARIABLE = "CHATBOTCTL_CANARY_ANALYSIS";

    @Option(names = "--analysis", paramLabel = "FILE",
            description = "Analysis file (default: $CHATBOTCTL_CANARY_ANALYSIS when set and not empty, else the built-in one, see docs/canary.md).")
    Path analysis;

    @Option(names = "--steps", split = ",", defaultValue = "5,10,25,50", paramLabel = "PERCENT",
            description = "Canary weights, one per passed interval (default: ${DEFAULT-VALUE}).")
    List<Integer> steps;

    @Option(names = "--interval", defaultValue = "5m", paramLabel = "DURATION", description = "Length of one analysis interval (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus base URL (default: the environment's).")
    String prometheus;

    @Option(names = "--auto-promote", description = "Promote after the last step passed.")
    boolean autoPromote;

    @Option(names = "--auto-rollback", description = "Roll back when the canary failed.")
    boolean autoRollback;

    @Option(names = "--dry-run", description = "Observe and judge; change nothing.")
    boolean dryRun;

    @Option(names = "--from", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Replay a past window from TIME (ISO-8601, e.g. 2026-11-25T12:00:00Z, or Unix seconds); changes nothing.")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = InstantConverter.class, description = "End of the replayed window.")
    Instant to;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the JSON report (every interval's values and decisions) here.")
    Path out;

    @Option(names = "--timeout", defaultValue = "30m", paramLabel = "DURATION",
            description = "How long promotion's rollout may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--eval-dataset", paramLabel = "FILE",
            description = "Run this eval dataset against the canary (through the header route) before each interval is judged; repeatable.")
    List<Path> evalDatasets;

    @Option(names = "--eval-thresholds", paramLabel = "FILE", description = "The eval gate's thresholds (with --eval-dataset).")
    Path evalThresholds;

    @Option(names = "--eval-baseline", paramLabel = "FILE",
            description = "Stable's eval results (eval run -o json): the report lists the cases that flipped.")
    Path evalBaseline;

    @Option(names = "--endpoint", paramLabel = "URL", description = "The service's OpenAI base URL through the Gateway, for the eval (default: the environment's).")
    String endpoint;

    @Mixin
    AccessOptions access;

    @Override
    public Integer call() throws Exception {
        boolean observeOnly = dryRun || from != null;
        EnvironmentConfig env = observeOnly ? selectedEnvironment() : requiredEnvironment();
        try (ServiceAccess services = access.open(this, env)) {
            return watch(env, services);
        }
    }

    private int watch(EnvironmentConfig env, ServiceAccess services) throws Exception {
        ObservedTarget observed = ObservedTarget.of(this, env, prometheus);
        String namespace = observed.namespace();
        String prometheusUrl = observed.prometheus() == null ? null : services.reach(observed.prometheus()).url();
        Path workingDir = environment().workingDir();
        WatchOptions options = new WatchOptions(namespace, steps, interval, autoPromote, autoRollback, dryRun, from, to,
                out == null ? null : workingDir.resolve(out));
        CanaryService service = CanaryCommand.service(this, env, timeout);
        Output output = output();
        boolean table = output.format() == OutputFormat.table;
        boolean verbose = global().verbose();
        String analysisVariable = environment().variables().get(ANALYSIS_VARIABLE);
        Path analysisFile = analysis != null ? analysis
                : analysisVariable == null || analysisVariable.isBlank() ? null : Path.of(analysisVariable);
        CanaryReport report = service.watch(analysisFile == null ? null : workingDir.resolve(analysisFile), prometheusUrl, options,
                evalInLoop(env, workingDir, services),
                interval -> {
                    if (table) {
                        output.out().print(interval.toTable(verbose).render());
                        output.out().println();
                        output.out().flush();
                    }
                }, output.progress());
        boolean nothingJudged = report.intervals().isEmpty() && report.outcome() == Outcome.PROMETHEUS_UNREACHABLE;
        if (!table || !nothingJudged) {
            output.print(report);
        }
        if (report.outcome() == Outcome.PROMETHEUS_UNREACHABLE) {
            throw new ExternalSystemException(report.reason(), "nothing was promoted or rolled back; the canary keeps its "
                    + "current weight. Check --prometheus, then watch again (or chatbotctl canary abort)");
        }
        return report.exitCode();
    }

    private EvalInLoop evalInLoop(EnvironmentConfig env, Path workingDir, ServiceAccess services) {
        if (evalDatasets == null || evalDatasets.isEmpty()) {
            if (evalThresholds != null || evalBaseline != null) {
                throw new InvalidInputException("--eval-thresholds and --eval-baseline go with --eval-dataset");
            }
            return null;
        }
        if (evalThresholds == null) {
            throw new InvalidInputException("--eval-dataset needs --eval-thresholds FILE", "e.g. evals/thresholds-smoke.yaml");
        }
        String url = endpoint != null ? endpoint : env == null ? null : env.endpoint();
        ServiceAccess.Reached canary = url == null ? null
                : services.reach(AccessOptions.canaryUrl(url, config().names()), access.chatbotCanary(this, env), null);
        return new EvalInLoop(evalDatasets.stream().map(workingDir::resolve).toList(), workingDir.resolve(evalThresholds),
                evalBaseline == null ? null : workingDir.resolve(evalBaseline),
                canary == null ? null : canary.url(),
                OpenAiClient.apiKey(environment().variables()));
    }

    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return value.matches("\\d+(\\.\\d+)?") ? Instant.ofEpochMilli((long) (Double.parseDouble(value) * 1000))
                        : Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a time: write 2026-11-25T12:00:00Z or Unix seconds");
            }
        }
    }
}
