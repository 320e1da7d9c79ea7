package io.chatbotctl.cli;

import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.deploy.DeployTarget;
import io.chatbotctl.kube.KubeTarget;

/**
 * A command that talks to the environment's cluster: context and namespace come from the environment (with
 * {@code --context} / {@code -n} applied), the kubeconfig from {@code KUBECONFIG} of this process's environment.
 * Nothing here touches fabric8: the client is created inside the service a command calls.
 */
public abstract class ClusterCommand extends BaseCommand {

    /** The environment's context and namespace (already resolved with {@code --context} / {@code -n} applied). */
    static KubeTarget kubeTarget(EnvironmentConfig environment, java.util.Map<String, String> variables) {
        return new KubeTarget(environment.context(), environment.namespace(), variables);
    }

    protected KubeTarget kubeTarget() {
        return kubeTarget(requiredEnvironment(), environment().variables());
    }

    protected DeployTarget deployTarget() {
        EnvironmentConfig env = requiredEnvironment();
        return new DeployTarget(env.name(), kubeTarget(env, environment().variables()), environment().workingDir());
    }
}
