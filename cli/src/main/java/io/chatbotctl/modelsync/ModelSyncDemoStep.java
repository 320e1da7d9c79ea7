package io.chatbotctl.modelsync;

import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.FileTrees;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.Sizes;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The demo's "push and sync model weights": a small generated model tree is pushed to an embedded S3Proxy on
 * loopback, synced back into the report directory and verified byte for byte.
 */
public final class ModelSyncDemoStep implements DemoStep {
    /** The synced model directory, for later steps. */
    public static final String MODEL_DIR = "modelDir";

    private static final long MIB = 1 << 20;

    @Override
    public String title() {
        return "push and sync model weights";
    }

    @Override
    public String run(DemoContext context) throws Exception {
        Path work = Files.createTempDirectory("chatbotctl-demo-s3");
        EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("blobs"), 0, "demo", "demo-secret");
        context.closeAtEnd(() -> FileTrees.delete(work));
        context.closeAtEnd(s3);
        s3.createBucket("models");

        Path source = context.reportDir().resolve("model-source");
        generateModel(source);
        S3Location location = S3Location.parse("s3://models/demo-chat-model/");
        Progress progress = context.progress();
        PushResult pushed = new ModelPush(s3.settings()).push(
                new PushRequest(source, location, KeyFilter.all(), 5 * MIB, 8), progress);

        Path model = context.reportDir().resolve("model");
        SyncResult synced = new ModelSync(s3.settings()).sync(new SyncRequest(location, model,
                new KeyFilter(List.of(), List.of(), true), true, false, 5 * MIB, 8, 0, true), progress);
        VerifyResult verified = new ModelVerify().verify(model, true, progress);
        AtomicFiles.write(context.reportDir().resolve("model-sync.json"), out -> out.write(ModelDirectory.json(synced)));
        if (!verified.ok()) {
            throw new CheckFailedException("model verify --deep found " + verified.mismatches().size() + " problem(s) in " + model);
        }
        context.put(MODEL_DIR, model);
        Map<String, Long> methods = synced.files().stream()
                .collect(Collectors.groupingBy(SyncResult.FileAction::verifiedBy, TreeMap::new, Collectors.counting()));
        return String.format(java.util.Locale.ROOT, "pushed %d files (%s) to S3Proxy, synced them back in %.1fs (verified by %s), "
                        + "verify --deep ok; %s",
                pushed.uploaded(), Sizes.format(pushed.bytesUploaded()), synced.seconds(), methods, model);
    }

    /** A tiny Hugging Face-style checkpoint: configs, a tokenizer, two safetensors shards (one multipart). */
    public static void generateModel(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 256, "
                + "\"num_hidden_layers\": 2, \"vocab_size\": 32000, \"torch_dtype\": \"bfloat16\"}\n");
        Files.writeString(dir.resolve("generation_config.json"), "{\"temperature\": 0.6, \"top_p\": 0.9}\n");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 8192}\n");
        randomFile(dir.resolve("tokenizer.json"), 200_000, 1);
        randomFile(dir.resolve("model-00001-of-00002.safetensors"), 7 * MIB, 2);
        randomFile(dir.resolve("model-00002-of-00002.safetensors"), 2 * MIB, 3);
    }

    private static void randomFile(Path file, long size, long seed) throws IOException {
        byte[] block = new byte[1 << 16];
        Random random = new Random(seed);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }
}
