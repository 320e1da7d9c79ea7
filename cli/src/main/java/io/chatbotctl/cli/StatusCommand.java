package io.chatbotctl.cli;

import io.chatbotctl.deploy.StatusService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Pods (node, GPU, phase, model stage, restarts, age), rollout state, HPA and deployed release of an environment.")
public class StatusCommand extends ClusterCommand {
    @Option(names = "--deployment", paramLabel = "NAME",
            description = "Deployment to show (default: chatbotctl.yaml's service, vllm-chatbot).")
    String deployment;

    @Override
    public Integer call() {
        output().print(new StatusService(deployTarget()).status(deployment != null ? deployment : config().names().deployment()));
        return 0;
    }
}
