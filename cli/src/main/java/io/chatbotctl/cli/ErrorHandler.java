package io.chatbotctl.cli;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The one place that turns failures into a line on stderr and an exit code. */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (ex.getCause() instanceof ChatbotctlException known && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            err.println("chatbotctl: error: Invalid value for option '" + option.longestName() + "': " + known.getMessage());
            err.println("hint: " + (known.hint() != null ? known.hint() : "see 'chatbotctl " + qualifiedName(cmd) + "--help'"));
            err.flush();
            return known.exitCode();
        }
        err.println("chatbotctl: error: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("hint: see 'chatbotctl " + qualifiedName(cmd) + "--help'");
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean debug = ((RootCommand) cmd.getCommandSpec().root().userObject()).global.debug;
        Throwable cause = unwrap(ex);
        int code;
        if (cause instanceof ChatbotctlException known) {
            err.println("chatbotctl: error: " + known.getMessage());
            if (known.hint() != null) {
                err.println("hint: " + known.hint());
            }
            code = known.exitCode();
        } else if (cause instanceof InterruptedException) {
            err.println("chatbotctl: interrupted");
            code = ExitCode.INTERRUPTED;
        } else if (cause instanceof OutOfMemoryError) {
            err.println("chatbotctl: error: out of memory: " + cause.getMessage());
            err.println("hint: raise the heap with JAVA_OPTS=-Xmx4g");
            code = ExitCode.EXTERNAL_FAILURE;
        } else {
            String what = cause instanceof UncheckedIOException ? "I/O failure" : "internal error";
            err.println("chatbotctl: error: " + what + ": " + cause);
            err.println("hint: rerun with --debug for the stack trace" + (debug ? "" : "") + " and report it");
            code = ExitCode.CHECK_FAILED;
        }
        if (debug) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return code;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CommandLine.ExecutionException
                || current instanceof java.util.concurrent.ExecutionException
                || current instanceof java.util.concurrent.CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String qualifiedName(CommandLine cmd) {
        String full = cmd.getCommandSpec().qualifiedName(" ");
        int space = full.indexOf(' ');
        return space < 0 ? "" : full.substring(space + 1) + " ";
    }
}
