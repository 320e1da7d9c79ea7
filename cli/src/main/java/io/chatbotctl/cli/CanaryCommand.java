package io.chatbotctl.cli;

import io.chatbotctl.canary.CanaryService;
import io.chatbotctl.kube.KubeTarget;
import picocli.CommandLine.Command;

import java.time.Duration;

/** {@code chatbotctl canary}: start, watch, promote, abort, status. */
@Command(name = "canary", description = "Start, watch, promote or abort a canary release.",
        subcommands = {CanaryStartCommand.class, CanaryWatchCommand.class, CanaryPromoteCommand.class,
                CanaryAbortCommand.class, CanaryStatusCommand.class})
public class CanaryCommand extends BaseCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The service for the selected environment's cluster and namespace. */
    static CanaryService service(BaseCommand command, Duration rolloutTimeout) {
        return new CanaryService(KubeTarget.of(command.requiredEnvironment(), command.environment().variables()), rolloutTimeout);
    }
}
