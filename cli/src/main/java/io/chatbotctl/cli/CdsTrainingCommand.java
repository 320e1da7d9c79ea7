package io.chatbotctl.cli;

import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the common offline commands once, output discarded, so that the launcher's class-data-sharing archive
 * ({@code -XX:ArchiveClassesAtExit}) holds the classes they load: help, JSON/YAML output, config, render, lint, cost,
 * and the AWS SDK + CRT client of {@code model sync} (a dry run against a closed loopback port, with dummy keys so
 * that no credential lookup leaves the machine).
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
        String[] sync = {"model", "sync", "s3://cds-train/model/", environment().workingDir().resolve("cds-train-model").toString(),
                "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1", "--dry-run"};
        Map<String, String> variables = new HashMap<>(environment().variables());
        variables.put("AWS_ACCESS_KEY_ID", "cds-train");
        variables.put("AWS_SECRET_ACCESS_KEY", "cds-train");
        variables.remove("AWS_PROFILE");
        CliEnvironment offline = new CliEnvironment(variables, environment().workingDir(), environment().in(), false);
        StringWriter sink = new StringWriter();
        CommandLineFactory.create(new PrintWriter(sink), new PrintWriter(sink), offline, sync).execute(sync);
        return 0;
    }
}
