package io.chatbotctl.cli;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import picocli.CommandLine.Command;

/** Placeholder until its capability lands; owned by that capability's issue. */
@Command(name = "loadtest", description = "Load-test an OpenAI-compatible endpoint with TTFT/ITL histograms and SLO gates.")
public class LoadtestCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new ChatbotctlException(ExitCode.USAGE, "'loadtest' is not built yet", "see the open issues", null);
    }
}
