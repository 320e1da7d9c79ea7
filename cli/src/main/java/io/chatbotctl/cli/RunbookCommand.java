package io.chatbotctl.cli;

import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.prometheus.PrometheusClient;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.kube.KubeTarget;
import io.chatbotctl.kube.ServiceAccess;
import io.chatbotctl.runbook.RunOptions;
import io.chatbotctl.runbook.RunbookRun;
import io.chatbotctl.runbook.RunbookRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code chatbotctl runbook NAME}: runs a runbook; {@code list} and {@code show} describe them. */
@Command(name = "runbook", mixinStandardHelpOptions = true, description = {"Guided, diagnosing runbooks: checks the cluster and Prometheus, explains what it "
        + "found and asks (y/N) before each action.", "Exit 0: nothing wrong or resolved; 1: a problem remains; "
        + "4: cluster or Prometheus unreachable."})
public class RunbookCommand extends BaseCommand {
    static final String TRANSCRIPT_DIR = ".chatbotctl/transcripts";

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The runbook to run (see 'runbook list').")
    String name;

    @Option(names = {"-y", "--yes"}, description = "Apply every action without asking (pipelines).")
    boolean yes;

    @Option(names = "--dry-run", description = "Print every action it would take; change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Allow deleting or evicting the last Ready pod.")
    boolean force;

    @Option(names = "--pod", paramLabel = "POD", description = "Look only at this pod.")
    String pod;

    @Option(names = "--node", paramLabel = "NODE", description = "Look only at this node.")
    String node;

    @Option(names = "--transcript", paramLabel = "FILE",
            description = "Markdown transcript (default: " + TRANSCRIPT_DIR + "/NAME-TIME.md, or in $CHATBOTCTL_TRANSCRIPT_DIR).")
    Path transcript;

    @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus base URL (default: the environment's).")
    String prometheus;

    @Mixin
    AccessOptions access;

    @Override
    public Integer call() {
        if (name == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        var runbook = Runbooks.catalog(this).get(name);
        EnvironmentConfig env = selectedEnvironment();
        ObservedTarget observed = ObservedTarget.of(this, env, prometheus);
        String namespace = observed.namespace();
        String context = global().context() != null ? global().context() : env == null ? null : env.context();
        String promUrl = observed.prometheus();
        Clock clock = Clock.systemUTC();
        RunOptions options = new RunOptions(yes, dryRun, force, pod, node, transcriptPath(clock));
        try (KubeConnection connection = KubeConnection.open(new KubeTarget(context, namespace, environment().variables()));
             ServiceAccess services = ServiceAccess.using(access.mode(this, env), connection, output()::info)) {
            PrometheusClient prom = promUrl == null ? null : new PrometheusClient(services.reach(promUrl).url(), Duration.ofSeconds(10));
            RunbookRunner runner = new RunbookRunner(connection, prom, clock, config().names());
            RunbookRun run = runner.run(runbook, options, confirmer(), output().progress());
            output().print(run);
            return run.exitCode();
        }
    }

    private io.chatbotctl.runbook.Confirmer confirmer() {
        if (!environment().interactive()) {
            return io.chatbotctl.runbook.Confirmer.NOBODY;
        }
        return new TerminalConfirmer(environment().in(), spec.commandLine().getErr());
    }

    private Path transcriptPath(Clock clock) {
        if (transcript != null) {
            return environment().workingDir().resolve(transcript);
        }
        String dir = environment().variable("CHATBOTCTL_TRANSCRIPT_DIR");
        Path base = environment().workingDir().resolve(dir == null || dir.isBlank() ? TRANSCRIPT_DIR : dir);
        String time = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(clock.instant());
        return base.resolve(name + "-" + time + ".md");
    }
}
