package io.chatbotctl.modelsync;

import io.chatbotctl.core.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpikeTest {
    @TempDir
    Path tmp;

    @Test
    void syncsAwsUploadedTree() throws Exception {
        try (S3Fixture fx = new S3Fixture(Files.createDirectories(tmp.resolve("blobs")))) {
            fx.createBucket("models");
            Path src = tmp.resolve("src");
            S3Fixture.write(src.resolve("config.json"), 1000, 1);
            S3Fixture.write(src.resolve("model-00001.safetensors"), 12 << 20, 2);
            S3Fixture.write(src.resolve("sub/empty.txt"), 0, 3);
            fx.awsUpload(src, "s3://models/llama/");
            System.out.println(fx.aws("s3api", "head-object", "--bucket", "models", "--key", "llama/model-00001.safetensors", "--checksum-mode", "ENABLED"));
            Path dest = tmp.resolve("dest");
            SyncResult r = new ModelSync(fx.s3.settings()).sync(new SyncRequest(S3Location.parse("s3://models/llama"), dest,
                    KeyFilter.all(), false, false, 5 << 20, 4, 0), Progress.NONE);
            System.out.println(r);
            assertEquals(S3Fixture.hashes(src), S3Fixture.hashes(dest));
        }
    }
}
