package io.chatbotctl.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion",
        description = {"Print a shell completion script.",
                "bash: source <(chatbotctl completion bash)",
                "zsh:  source <(chatbotctl completion zsh)"})
public class CompletionCommand extends BaseCommand {
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("chatbotctl", spec.root().commandLine());
        if (shell == Shell.zsh) {
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
