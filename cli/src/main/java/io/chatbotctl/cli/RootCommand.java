package io.chatbotctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;

@Command(name = "chatbotctl",
        scope = picocli.CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Takes the vLLM customer-support chatbot from S3 weights to a GPU deployment on Kubernetes and keeps it healthy.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'chatbotctl COMMAND --help' for a command's options. Docs: README.md and docs/."})
public class RootCommand implements Runnable {
    /** The commands, in the order help lists them; {@link CommandLineFactory} adds them. */
    static final List<Class<?>> COMMANDS = List.of(
            DemoCommand.class,
            SimCommand.class,
            ModelCommand.class,
            RenderCommand.class,
            LintCommand.class,
            DiffCommand.class,
            DeployCommand.class,
            RollbackCommand.class,
            HistoryCommand.class,
            StatusCommand.class,
            ScaleCommand.class,
            CanaryCommand.class,
            EvalCommand.class,
            LoadtestCommand.class,
            RunbookCommand.class,
            CostCommand.class,
            DoctorCommand.class,
            ProxyCommand.class,
            ConfigCommand.class,
            VersionCommand.class,
            CompletionCommand.class,
            CdsTrainingCommand.class);

    /** The command groups' subcommands, in the order help lists them; {@link CommandLineFactory} adds them too. */
    static final Map<Class<?>, List<Class<?>>> SUBCOMMANDS = Map.of(
            RunbookCommand.class, List.of(RunbookListCommand.class, RunbookShowCommand.class),
            CostCommand.class, List.of(CostEstimateCommand.class),
            ConfigCommand.class, List.of(ConfigViewCommand.class, ConfigValidateCommand.class),
            EvalCommand.class, List.of(EvalRunCommand.class, EvalGateCommand.class),
            CanaryCommand.class, List.of(CanaryStartCommand.class, CanaryWatchCommand.class, CanaryPromoteCommand.class,
                    CanaryAbortCommand.class, CanaryStatusCommand.class),
            ProxyCommand.class, List.of(ProxyKeysCommand.class),
            ProxyKeysCommand.class, List.of(ProxyKeysCreateCommand.class, ProxyKeysListCommand.class,
                    ProxyKeysRevokeCommand.class),
            ModelCommand.class, List.of(ModelSyncCommand.class, ModelPushCommand.class, ModelVerifyCommand.class,
                    ModelServeS3Command.class));

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    final CliEnvironment environment;

    RootCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
