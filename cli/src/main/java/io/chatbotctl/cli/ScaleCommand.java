package io.chatbotctl.cli;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import picocli.CommandLine.Command;

/** Placeholder until its capability lands; owned by that capability's issue. */
@Command(name = "scale", description = "Set the number of replicas within the HPA's bounds.")
public class ScaleCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new ChatbotctlException(ExitCode.USAGE, "'scale' is not built yet", "see the open issues", null);
    }
}
