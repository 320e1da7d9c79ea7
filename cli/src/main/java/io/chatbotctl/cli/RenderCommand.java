package io.chatbotctl.cli;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import picocli.CommandLine.Command;

/** Placeholder until its capability lands; owned by that capability's issue. */
@Command(name = "render", description = "Render the Kubernetes manifests of an environment.")
public class RenderCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new ChatbotctlException(ExitCode.USAGE, "'render' is not built yet", "see the open issues", null);
    }
}
