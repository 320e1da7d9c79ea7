package io.chatbotctl.cli;

import io.chatbotctl.deploy.DeployService;
import picocli.CommandLine.Command;

@Command(name = "history", mixinStandardHelpOptions = true, description = "Recorded releases of an environment (the newest 10): revision, time, status, image, commit.")
public class HistoryCommand extends ClusterCommand {
    @Override
    public Integer call() {
        output().print(new DeployService(deployTarget()).history());
        return 0;
    }
}
