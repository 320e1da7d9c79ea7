package io.chatbotctl.cli;

import picocli.CommandLine.Command;

import java.time.Duration;

@Command(name = "abort", description = "Send no traffic to the canary and remove its objects.")
public class CanaryAbortCommand extends BaseCommand {
    @Override
    public Integer call() {
        output().print(CanaryCommand.service(this, Duration.ofMinutes(1)).abort(output().progress()));
        return 0;
    }
}
