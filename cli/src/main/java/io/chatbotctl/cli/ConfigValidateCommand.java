package io.chatbotctl.cli;

import io.chatbotctl.config.ProjectConfig;
import picocli.CommandLine.Command;

@Command(name = "validate", description = "Check chatbotctl.yaml; exit 3 naming file, line and field when it is invalid.")
public class ConfigValidateCommand extends BaseCommand {

    @Override
    public Integer call() {
        ProjectConfig config = config();
        output().print(config.source() + ": valid (" + config.environments().size() + " environments: "
                + String.join(", ", config.environments().keySet()) + ")");
        return 0;
    }
}
