package io.chatbotctl.cli;

import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.deploy.DeployRequest;
import io.chatbotctl.deploy.DeployResult;
import io.chatbotctl.deploy.DeployService;
import io.chatbotctl.deploy.KustomizeManifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

@Command(name = "deploy", mixinStandardHelpOptions = true, description = {
        "Lint, server-side apply (field manager chatbotctl), record release vN, wait for the rollout, prune what left "
                + "the manifests; on failure or timeout, restore the previous release and exit 1.",
        "Example: chatbotctl deploy --env production --image :v0.10.2 --chatbotctl-image :0.2.0"})
public class DeployCommand extends ClusterCommand {
    @Mixin
    ImageOptions images;

    @Option(names = "--dry-run", description = "Server-side dry run: show what would change, apply nothing.")
    boolean dryRun;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20m",
            description = "How long to wait for the rollout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--no-rollback", description = "Leave a failed release in place instead of restoring the previous one.")
    boolean noRollback;

    @Override
    public Integer call() throws InterruptedException {
        var env = requiredEnvironment();
        KustomizeManifests source = new KustomizeManifests(env.overlay() == null ? null : Path.of(env.overlay()));
        DeployResult result = new DeployService(deployTarget())
                .deploy(source, new DeployRequest(images.overrides(), dryRun, timeout, !noRollback), output().progress());
        output().print(result);
        if (result.failed()) {
            throw new CheckFailedException(result.failureMessage(),
                    "chatbotctl status --env " + env.name() + " shows the pods; kubectl logs -n " + env.namespace()
                            + " POD -c vllm --previous shows why a container stopped");
        }
        return 0;
    }
}
