package io.chatbotctl.cli;

import io.chatbotctl.core.FileTrees;
import io.chatbotctl.modelsync.CrtRuntime;
import io.chatbotctl.modelsync.SampleModel;
import io.chatbotctl.modelsync.ModelWarmup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the common offline commands once, output discarded, so that the launcher's class-data-sharing archive
 * ({@code -XX:ArchiveClassesAtExit}) holds the classes they load: help, JSON/YAML output, config, render, lint, cost,
 * and {@code model push/sync/verify} against {@code model serve-s3} run from {@code --s3proxy-jar} in a child JVM on
 * loopback (with its own keys, so that no credential lookup leaves the machine); without that jar, model commands are
 * left untrained.
 * With {@code --native-dir}, also unpacks aws-crt's native library there, for the launcher's {@code java.library.path}.
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
    private static final String ACCESS_KEY = "cds-train";
    private static final String SECRET_KEY = "cds-train-secret";

    @Option(names = "--native-dir", paramLabel = "DIR")
    Path nativeDir;

    @Option(names = "--s3proxy-jar", paramLabel = "JAR")
    Path s3proxyJar;

    @Override
    public Integer call() throws IOException {
        if (nativeDir != null) {
            CrtRuntime.unpackNativeLibrary(nativeDir);
        }
        for (String[] args : RUNS) {
            StringWriter sink = new StringWriter();
            CommandLineFactory.create(new PrintWriter(sink), new PrintWriter(sink), environment(), args).execute(args);
        }
        if (s3proxyJar != null && Files.isRegularFile(s3proxyJar)) {
            trainModelCommands();
        } else {
            spec.commandLine().getErr().println("model commands not trained: no S3Proxy jar (--s3proxy-jar " + s3proxyJar + ")");
        }
        return 0;
    }

    /** Push, sync (cold and no-op) and verify a tiny model through S3Proxy, then delete everything. */
    private void trainModelCommands() throws IOException {
        ModelWarmup.start();   // as Main does for model commands; it finishes long before the runs below
        Path work = Files.createTempDirectory("chatbotctl-cds-train");
        try (ServeS3Process s3 = ServeS3Process.start(s3proxyJar, work.resolve("blobs"), "cds-train", ACCESS_KEY, SECRET_KEY)) {
            Path model = work.resolve("model");
            SampleModel.write(model);
            Map<String, String> variables = new HashMap<>(environment().variables());
            variables.putAll(Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1"));
            variables.remove("AWS_PROFILE");
            CliEnvironment offline = new CliEnvironment(variables, work, environment().in(), false);
            String synced = work.resolve("synced").toString();
            List<String[]> runs = List.of(
                    new String[] {"model", "push", model.toString(), "s3://cds-train/m/", "--endpoint-url", s3.endpointUrl()},
                    new String[] {"model", "sync", "s3://cds-train/m/", synced, "--endpoint-url", s3.endpointUrl(), "--part-size", "5MiB"},
                    new String[] {"model", "sync", "s3://cds-train/m/", synced, "--endpoint-url", s3.endpointUrl(), "-o", "json"},
                    new String[] {"model", "verify", synced});
            for (String[] args : runs) {
                StringWriter sink = new StringWriter();
                if (CommandLineFactory.create(new PrintWriter(sink), new PrintWriter(sink), offline, args).execute(args) != 0) {
                    spec.commandLine().getErr().println(String.join(" ", args) + " failed while training:\n" + sink);
                }
            }
        } finally {
            FileTrees.delete(work);
        }
    }
}
