package io.chatbotctl.cli;

import io.chatbotctl.core.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the one {@link CommandLine} that both {@link Main} and the tests run. */
public final class CommandLineFactory {
    private CommandLineFactory() {}

    public static CommandLine create(PrintWriter out, PrintWriter err) {
        return create(out, err, CliEnvironment.system(), new String[0]);
    }

    /**
     * @param args the arguments about to be executed; read only to decide on colour before parsing (help may be
     *             printed while parsing) and which commands to build
     */
    public static CommandLine create(PrintWriter out, PrintWriter err, CliEnvironment environment, String[] args) {
        RootCommand root = new RootCommand(environment);
        CommandLine cmd = new CommandLine(root);
        int at = commandIndex(args);
        boolean completion = at >= 0 && args[at].equals("completion");
        addCommands(cmd, RootCommand.COMMANDS, args, completion ? -1 : at);
        ErrorHandler errors = new ErrorHandler();
        cmd.setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .registerConverter(Duration.class, new Converters.DurationConverter())
                .setColorScheme(CommandLine.Help.defaultColorScheme(ansi(environment, args)));
        Map<String, String> codes = new LinkedHashMap<>();
        ExitCode.descriptions().forEach((code, text) -> codes.put(String.format("%3d", code), text));
        cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        return cmd;
    }

    /** Root options that take a value (the next argument, unless written {@code --opt=value}). */
    private static final Set<String> VALUED_OPTIONS = Arrays.stream(GlobalOptions.class.getDeclaredFields())
            .filter(f -> f.getType() != boolean.class && f.isAnnotationPresent(Option.class))
            .flatMap(f -> Arrays.stream(f.getAnnotation(Option.class).names()))
            .collect(Collectors.toUnmodifiableSet());

    /**
     * Adds {@code commands} to {@code parent}. Building a command's model costs reflection on all its options, so when
     * {@code args[at]} names one of them, only that one is added, and likewise for a group's subcommand named right
     * after it. Anything else (help, a typo, a completion script) gets every command.
     */
    private static void addCommands(CommandLine parent, List<Class<?>> commands, String[] args, int at) {
        String word = at >= 0 && at < args.length ? args[at] : null;
        boolean one = word != null && commands.stream().anyMatch(command -> name(command).equals(word));
        for (Class<?> command : commands) {
            if (one && !name(command).equals(word)) {
                continue;
            }
            parent.addSubcommand(command);
            List<Class<?>> subcommands = RootCommand.SUBCOMMANDS.get(command);
            if (subcommands != null) {
                addCommands(parent.getSubcommands().get(name(command)), subcommands, args, one ? at + 1 : -1);
            }
        }
    }

    /** The first argument that is neither a root option nor its value: the command's name, if one was given. */
    static String commandWord(String[] args) {
        int at = commandIndex(args);
        return at < 0 ? null : args[at];
    }

    private static int commandIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("-")) {
                return i;
            }
            if (VALUED_OPTIONS.contains(args[i])) {
                i++;
            }
        }
        return -1;
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    private static Ansi ansi(CliEnvironment environment, String[] args) {
        boolean off = Arrays.asList(args).contains("--no-color")
                || environment.variable("NO_COLOR") != null
                || !environment.interactive();
        return off ? Ansi.OFF : Ansi.AUTO;
    }
}
