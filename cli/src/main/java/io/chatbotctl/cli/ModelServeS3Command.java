package io.chatbotctl.cli;

import io.chatbotctl.modelsync.EmbeddedS3;
import io.chatbotctl.modelsync.S3ProxyJar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Development aid for bench/modelsync.sh: S3Proxy with a filesystem blobstore on loopback until killed. */
@Command(mixinStandardHelpOptions = true, name = "serve-s3", hidden = true, description = "Serve an embedded S3 (S3Proxy, filesystem blobstore) on 127.0.0.1 until killed.")
public class ModelServeS3Command extends BaseCommand {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Blob directory (one subdirectory per bucket).")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: ${DEFAULT-VALUE}).")
    int port = 9000;

    @Option(names = "--bucket", paramLabel = "NAME", description = "Bucket to create (default: ${DEFAULT-VALUE}).")
    String bucket = "models";

    @Option(names = "--access-key", paramLabel = "KEY", description = "Access key id (default: ${DEFAULT-VALUE}).")
    String accessKey = "bench";

    @Option(names = "--secret-key", paramLabel = "KEY", description = "Secret key (default: ${DEFAULT-VALUE}).")
    String secretKey = "bench-secret";

    @Override
    public Integer call() throws Exception {
        S3ProxyJar.ON_CLASSPATH.require();
        java.nio.file.Files.createDirectories(dir);
        EmbeddedS3 s3 = EmbeddedS3.start(environment().workingDir().resolve(dir), port, accessKey, secretKey);
        s3.createBucket(bucket);
        output().info("serving " + s3.endpointUrl() + " (bucket " + bucket + ", blobs in " + dir + ")");
        new CountDownLatch(1).await();
        return 0;
    }
}
