package io.chatbotctl.cli;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import picocli.CommandLine.Command;

/** Placeholder until its capability lands; owned by that capability's issue. */
@Command(name = "diff", description = "Show what deploy would change in the cluster.")
public class DiffCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new ChatbotctlException(ExitCode.USAGE, "'diff' is not built yet", "see the open issues", null);
    }
}
