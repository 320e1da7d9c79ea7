package io.chatbotctl.cli;

import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * Runs the common offline commands once, output discarded, so that the launcher's class-data-sharing archive
 * ({@code -XX:ArchiveClassesAtExit}) holds the classes they load: help, JSON/YAML output, config, render, lint, cost.
 * Not for users; the launcher runs it when it (re)creates the archive.
 */
@Command(name = "__cds-train", hidden = true)
public class CdsTrainingCommand extends BaseCommand {
    private static final List<String[]> RUNS = List.of(
            new String[] {"--help"},
            new String[] {"version", "-o", "json"},
            new String[] {"config", "view", "-o", "yaml"},
            new String[] {"render", "--env", "production"},
            new String[] {"lint", "--env", "production", "-o", "json"},
            new String[] {"cost", "estimate", "--env", "production"},
            new String[] {"runbook", "list"});

    @Override
    public Integer call() {
        for (String[] args : RUNS) {
            StringWriter sink = new StringWriter();
            CommandLineFactory.create(new PrintWriter(sink), new PrintWriter(sink), environment(), args).execute(args);
        }
        return 0;
    }
}
