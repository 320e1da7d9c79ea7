package io.chatbotctl.cli;

import io.chatbotctl.canary.CanaryNames;
import io.chatbotctl.canary.CanaryService;
import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.deploy.DeployTarget;
import io.chatbotctl.kube.KubeTarget;
import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.time.Duration;

/** {@code chatbotctl canary}: start, watch, promote, abort, status. */
@Command(name = "canary", description = "Start, watch, promote or abort a canary release.")
public class CanaryCommand extends BaseCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The service for the selected environment's cluster and namespace. */
    static CanaryService service(BaseCommand command, Duration rolloutTimeout) {
        return service(command, command.requiredEnvironment(), rolloutTimeout);
    }

    /** @param env the environment, or null when nothing on the cluster is touched */
    static CanaryService service(BaseCommand command, EnvironmentConfig env, Duration rolloutTimeout) {
        if (env == null) {
            return new CanaryService(null, null, rolloutTimeout, CanaryNames.of(command.config().names()),
                    command.config().gateway().canaryHeader());
        }
        DeployTarget target = new DeployTarget(env.name(), ClusterCommand.kubeTarget(env, command.environment().variables()),
                command.environment().workingDir());
        return new CanaryService(target, env.overlay() == null ? null : Path.of(env.overlay()), rolloutTimeout,
                CanaryNames.of(command.config().names()), command.config().gateway().canaryHeader());
    }
}
