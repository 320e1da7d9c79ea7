package io.chatbotctl.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The global options of design.md, mixed into the root command and inherited by every subcommand, so they may
 * stand before or after the command name. Each short flag means this one thing everywhere.
 */
public class GlobalOptions {
    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Project configuration (default: the nearest chatbotctl.yaml, or $CHATBOTCTL_CONFIG).")
    String configFile;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Environment from chatbotctl.yaml, e.g. staging or production ($CHATBOTCTL_ENV).")
    String env;

    @Option(names = "--context", paramLabel = "KUBECTX", scope = ScopeType.INHERIT,
            description = "Kubernetes context (default: the environment's, else the kubeconfig's current one).")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", scope = ScopeType.INHERIT,
            description = "Kubernetes namespace (default: the environment's, else ai-serving).")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            description = "Result format: ${COMPLETION-CANDIDATES} (default: table).")
    OutputFormat output;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "No colours (also when NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "More detail (e.g. the resolved PromQL).")
    boolean verbose;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    public String configFile() {
        return configFile;
    }

    public String env() {
        return env;
    }

    public String context() {
        return context;
    }

    public String namespace() {
        return namespace;
    }

    public boolean verbose() {
        return verbose;
    }

    public boolean debug() {
        return debug;
    }
}
