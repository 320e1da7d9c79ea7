package io.chatbotctl.cli;

import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.deploy.DeployResult;
import io.chatbotctl.deploy.DeployService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

@Command(name = "rollback", mixinStandardHelpOptions = true, description = {
        "Restore a recorded release (default: the one before the current) as a new release: apply its objects, "
                + "ConfigMaps included, wait for the rollout, prune what it does not have.",
        "Example: chatbotctl rollback --env production --to 7"})
public class RollbackCommand extends ClusterCommand {
    @Option(names = "--to", paramLabel = "N", description = "Release to restore (see chatbotctl history).")
    Integer to;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20m",
            description = "How long to wait for the rollout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        DeployResult result = new DeployService(deployTarget()).rollback(to, timeout, output().progress());
        output().print(result);
        if (result.failed()) {
            throw new CheckFailedException(result.failureMessage(), "chatbotctl status --env " + requiredEnvironment().name());
        }
        return 0;
    }
}
