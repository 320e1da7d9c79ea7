package io.chatbotctl.cli;

import picocli.CommandLine.Command;

import java.time.Duration;

@Command(name = "status", description = "Show the canary: images, readiness and traffic weight.")
public class CanaryStatusCommand extends BaseCommand {
    @Override
    public Integer call() {
        output().print(CanaryCommand.service(this, Duration.ofMinutes(1)).status());
        return 0;
    }
}
