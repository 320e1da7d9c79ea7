package io.chatbotctl.modelsync;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every {@link ModelSyncCommandTest} against S3Proxy with its default settings: no ignore-unknown-headers, so HEAD
 * with {@code x-amz-checksum-mode} is answered 501 NotImplemented, as a strict S3-compatible store may.
 */
class ModelSyncDefaultStoreTest extends ModelSyncCommandTest {

    @BeforeAll
    static void startS3() throws Exception {
        fx = new S3Fixture(Files.createDirectories(shared.resolve("blobs")), S3Fixture.Store.DEFAULTS);
    }

    @Test
    void theInheritedTestsRunAgainstS3ProxyDefaults() throws Exception {
        assertEquals(S3Fixture.Store.DEFAULTS, fx.store);
        String bucket = "strict-probe";
        fx.createBucket(bucket);
        java.nio.file.Path file = shared.resolve("probe/config.json");
        S3Fixture.write(file, 10, 1);
        fx.aws("s3", "cp", "--only-show-errors", file.toString(), "s3://" + bucket + "/m/config.json");
        S3Reader reader = new S3Reader(fx.s3.settings(), 1);
        try (reader) {
            reader.head(bucket, "m/config.json");
            assertEquals(new ChecksumMode("unsupported", "HTTP 501"), reader.checksumMode());
            reader.head(bucket, "m/config.json");
            assertEquals(new ChecksumMode("unsupported", "HTTP 501"), reader.checksumMode(), "asked once per run");
        }
    }
}
