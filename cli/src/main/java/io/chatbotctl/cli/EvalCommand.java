package io.chatbotctl.cli;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import picocli.CommandLine.Command;

/** Placeholder until its capability lands; owned by that capability's issue. */
@Command(name = "eval", description = "Run the eval datasets and gate on the results.")
public class EvalCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new ChatbotctlException(ExitCode.USAGE, "'eval' is not built yet", "see the open issues", null);
    }
}
