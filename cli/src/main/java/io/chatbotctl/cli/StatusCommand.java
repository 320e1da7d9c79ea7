package io.chatbotctl.cli;

import io.chatbotctl.deploy.StatusService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Pods (node, GPU, phase, model stage, restarts, age), rollout state, HPA and deployed release of an environment.")
public class StatusCommand extends ClusterCommand {
    @Option(names = "--deployment", paramLabel = "NAME", defaultValue = StatusService.DEFAULT_DEPLOYMENT,
            description = "Deployment to show (default: ${DEFAULT-VALUE}).")
    String deployment;

    @Override
    public Integer call() {
        output().print(new StatusService(deployTarget()).status(deployment));
        return 0;
    }
}
