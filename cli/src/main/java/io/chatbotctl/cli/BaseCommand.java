package io.chatbotctl.cli;

import io.chatbotctl.config.ConfigLoader;
import io.chatbotctl.config.ConfigOverrides;
import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.config.ProjectConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** What every leaf command needs: the global options, the Output printer and the resolved configuration. */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    private ProjectConfig config;

    protected RootCommand root() {
        return (RootCommand) spec.root().userObject();
    }

    protected GlobalOptions global() {
        return root().global;
    }

    protected CliEnvironment environment() {
        return root().environment;
    }

    protected Output output() {
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), global().output,
                environment().interactive());
    }

    protected ConfigOverrides overrides() {
        GlobalOptions g = global();
        return new ConfigOverrides(g.configFile, g.env, g.context, g.namespace);
    }

    protected ConfigLoader configLoader() {
        return new ConfigLoader(environment().variables(), environment().workingDir());
    }

    /** The project configuration, loaded on first use (so commands that do not need it never read it). */
    protected ProjectConfig config() {
        if (config == null) {
            config = configLoader().load(overrides());
        }
        return config;
    }

    /** The environment named by {@code --env} or {@code CHATBOTCTL_ENV}; an error when none is. */
    protected EnvironmentConfig requiredEnvironment() {
        return configLoader().requiredEnvironment(config(), overrides());
    }

    /** The environment named by {@code --env} or {@code CHATBOTCTL_ENV}; null, without reading the config, when none is. */
    protected EnvironmentConfig namedEnvironment() {
        return global().env == null && environment().variables().get("CHATBOTCTL_ENV") == null ? null : selectedEnvironment();
    }

    /** The environment named by {@code --env} or {@code CHATBOTCTL_ENV}, or null. */
    protected EnvironmentConfig selectedEnvironment() {
        return configLoader().selectedEnvironment(config(), overrides());
    }
}
