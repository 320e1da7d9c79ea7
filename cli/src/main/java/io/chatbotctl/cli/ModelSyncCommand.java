package io.chatbotctl.cli;

import io.chatbotctl.modelsync.KeyFilter;
import io.chatbotctl.modelsync.ModelSync;
import io.chatbotctl.modelsync.S3Location;
import io.chatbotctl.modelsync.SyncRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Command(mixinStandardHelpOptions = true, name = "sync", sortOptions = false,
        description = {"Make a local directory equal to an S3 prefix: only new or changed objects, downloaded by byte ranges in parallel, "
                + "each verified, fsynced and renamed; resumes after a crash; writes .chatbotctl/COMPLETE last.",
                "With --wait-complete DEST: wait until another process's sync has completed DEST."},
        footer = {"", "Examples:",
                "  chatbotctl model sync s3://models/llama-3.1-8b-instruct/ /models/llama-3.1-8b-instruct",
                "  chatbotctl model sync --wait-complete --timeout 30m /models/llama-3.1-8b-instruct"})
public class ModelSyncCommand extends BaseCommand {
    @Parameters(arity = "1..2", paramLabel = "[s3://BUCKET/PREFIX] DEST", description = "The source and the local directory (only DEST with --wait-complete).")
    List<String> locations = new ArrayList<>();

    @Option(names = "--include", paramLabel = "GLOB", description = "Only paths matching this glob (repeatable), e.g. '*.safetensors'.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip paths matching this glob (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--no-default-excludes", description = "Also take what vLLM never loads (default excludes: original/**).")
    boolean noDefaultExcludes;

    @Option(names = "--delete", description = "Remove local files that are no longer in S3 (only paths the filters accept).")
    boolean delete;

    @Option(names = "--dry-run", description = "List what would be downloaded and deleted; change nothing.")
    boolean dryRun;

    @Option(names = "--part-size", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
            description = "Size of each ranged GET (default: 16MiB, at least 5MiB).")
    long partSizeBytes = SyncRequest.DEFAULT_PART_SIZE_BYTES;

    @Option(names = "--concurrency", paramLabel = "N", description = "Ranged GETs in flight across all files (default: ${DEFAULT-VALUE}).")
    int concurrency = SyncRequest.DEFAULT_CONCURRENCY;

    @Option(names = "--max-bandwidth", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
            description = "Cap the download rate in bytes per second, e.g. 200MiB (default: no cap).")
    long maxBandwidthBytesPerSecond;

    @Option(names = "--no-fsync",
            description = "Do not force files to disk before renaming them (for emptyDir volumes, which a node restart wipes anyway); a killed process is still safe.")
    boolean noFsync;

    @Option(names = "--wait-complete", description = "Do not download: wait until DEST's COMPLETE marker exists and matches its manifest.")
    boolean waitComplete;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "With --wait-complete: how long to wait (default: 1h).")
    Duration timeout = Duration.ofHours(1);

    @Mixin
    S3Options s3;

    @Override
    public Integer call() throws Exception {
        Path workingDir = environment().workingDir();
        ModelSync sync = new ModelSync(s3.settings(environment().variables()));
        if (waitComplete) {
            if (locations.size() != 1) {
                throw new ParameterException(spec.commandLine(), "--wait-complete takes only DEST");
            }
            output().print(sync.waitComplete(workingDir.resolve(locations.get(0)), timeout, output().progress()));
            return 0;
        }
        if (locations.size() != 2) {
            throw new ParameterException(spec.commandLine(), "expected s3://BUCKET/PREFIX and DEST");
        }
        SyncRequest request = new SyncRequest(S3Location.parse(locations.get(0)), workingDir.resolve(locations.get(1)),
                new KeyFilter(includes, excludes, !noDefaultExcludes), delete, dryRun, partSizeBytes, concurrency,
                maxBandwidthBytesPerSecond, !noFsync);
        output().print(sync.sync(request, output().progress()));
        return 0;
    }
}
