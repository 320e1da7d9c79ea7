package io.chatbotctl.cli;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import picocli.CommandLine.Command;

/** Placeholder until its capability lands; owned by that capability's issue. */
@Command(name = "status", description = "Pods, rollout, HPA and release of an environment.")
public class StatusCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new ChatbotctlException(ExitCode.USAGE, "'status' is not built yet", "see the open issues", null);
    }
}
