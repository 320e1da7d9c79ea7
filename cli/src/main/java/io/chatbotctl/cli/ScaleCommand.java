package io.chatbotctl.cli;

import io.chatbotctl.deploy.StatusService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "scale", mixinStandardHelpOptions = true, description = {
        "Set the Deployment's replicas; refuses a value outside its HPA's bounds unless --force.",
        "Example: chatbotctl scale --env production --replicas 3"})
public class ScaleCommand extends ClusterCommand {
    @Option(names = "--replicas", paramLabel = "N", required = true, description = "Replicas to run.")
    int replicas;

    @Option(names = "--force", description = "Scale even outside the HPA's bounds (the HPA will move it back unless N is 0).")
    boolean force;

    @Option(names = "--deployment", paramLabel = "NAME",
            description = "Deployment to scale (default: chatbotctl.yaml's service, vllm-chatbot).")
    String deployment;

    @Override
    public Integer call() {
        output().print(new StatusService(deployTarget()).scale(deployment != null ? deployment : config().names().deployment(), replicas, force));
        return 0;
    }
}
