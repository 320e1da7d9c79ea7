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
     * @param args the arguments about to be executed; read only to decide on colour before parsing,
     *             since help may be printed while parsing
     */
    public static CommandLine create(PrintWriter out, PrintWriter err, CliEnvironment environment, String[] args) {
        RootCommand root = new RootCommand(environment);
        CommandLine cmd = new CommandLine(root);
        String word = commandWord(args);
        boolean one = word != null && !word.equals("completion")
                && RootCommand.COMMANDS.stream().anyMatch(command -> name(command).equals(word));
        for (Class<?> command : RootCommand.COMMANDS) {
            // Building a command's model costs reflection on all its options; only the one being run is needed.
            if (!one || name(command).equals(word)) {
                cmd.addSubcommand(command);
            }
        }
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

    /** The first argument that is neither a root option nor its value: the command's name, if one was given. */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                return arg;
            }
            if (VALUED_OPTIONS.contains(arg)) {
                i++;
            }
        }
        return null;
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
