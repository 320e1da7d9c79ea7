package io.chatbotctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

@Command(name = "promote", description = "Roll the canary's image out to the stable Deployment, then remove the canary.")
public class CanaryPromoteCommand extends BaseCommand {
    @Option(names = "--timeout", defaultValue = "30m", paramLabel = "DURATION",
            description = "How long the stable rollout may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        output().print(CanaryCommand.service(this, timeout).promote(output().progress()));
        return 0;
    }
}
