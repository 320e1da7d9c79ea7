package io.chatbotctl.cli;

import io.chatbotctl.core.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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

    private static Ansi ansi(CliEnvironment environment, String[] args) {
        boolean off = Arrays.asList(args).contains("--no-color")
                || environment.variable("NO_COLOR") != null
                || !environment.interactive();
        return off ? Ansi.OFF : Ansi.AUTO;
    }
}
