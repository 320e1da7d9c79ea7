package io.chatbotctl.cli;

import io.chatbotctl.modelsync.KeyFilter;
import io.chatbotctl.modelsync.ModelPush;
import io.chatbotctl.modelsync.PushRequest;
import io.chatbotctl.modelsync.S3Location;
import io.chatbotctl.modelsync.SyncRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(mixinStandardHelpOptions = true, name = "push", sortOptions = false,
        description = "Upload a model directory: files S3 does not have yet, multipart with a CRC64NVME checksum, then the remote "
                + "manifest .chatbotctl-manifest.json (SHA-256 of every file) that model sync verifies against.",
        footer = {"", "Example:", "  chatbotctl model push ./llama-3.1-8b-instruct s3://models/llama-3.1-8b-instruct/"})
public class ModelPushCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The local model directory.")
    Path source;

    @Parameters(index = "1", paramLabel = "s3://BUCKET/PREFIX", description = "Where to upload it.")
    String destination;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only paths matching this glob (repeatable).")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip paths matching this glob (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--part-size", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
            description = "Multipart part size, also the multipart threshold (default: 16MiB, at least 5MiB).")
    long partSizeBytes = SyncRequest.DEFAULT_PART_SIZE_BYTES;

    @Option(names = "--concurrency", paramLabel = "N", description = "Connections (default: ${DEFAULT-VALUE}).")
    int concurrency = SyncRequest.DEFAULT_CONCURRENCY;

    @Mixin
    S3Options s3;

    @Override
    public Integer call() throws Exception {
        PushRequest request = new PushRequest(environment().workingDir().resolve(source), S3Location.parse(destination),
                new KeyFilter(includes, excludes, false), partSizeBytes, concurrency);
        output().print(new ModelPush(s3.settings(environment().variables())).push(request, output().progress()));
        return 0;
    }
}
