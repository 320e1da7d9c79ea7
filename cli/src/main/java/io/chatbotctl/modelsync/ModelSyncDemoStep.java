package io.chatbotctl.modelsync;

import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.FileTrees;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.Sizes;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;
import io.chatbotctl.core.DemoStepSkipped;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    private final S3ProxyJar s3proxy;

    public ModelSyncDemoStep() {
        this(S3ProxyJar.ON_CLASSPATH);
    }

    ModelSyncDemoStep(S3ProxyJar s3proxy) {
        this.s3proxy = s3proxy;
    }

    @Override
    public String title() {
        return "push and sync model weights";
    }

    @Override
    public String run(DemoContext context) throws Exception {
        if (!s3proxy.present()) {
            throw new DemoStepSkipped(S3ProxyJar.missing(), "mvn -DskipTests package, then ./chatbotctl demo");
        }
        Path work = Files.createTempDirectory("chatbotctl-demo-s3");
        EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("blobs"), 0, "demo", "demo-secret");
        context.closeAtEnd(() -> FileTrees.delete(work));
        context.closeAtEnd(s3);
        s3.createBucket("models");

        Path source = context.reportDir().resolve("model-source");
        SampleModel.write(source);
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
}
