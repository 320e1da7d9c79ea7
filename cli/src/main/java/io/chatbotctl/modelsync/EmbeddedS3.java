package io.chatbotctl.modelsync;

import io.chatbotctl.core.Poll;

import io.chatbotctl.core.ExternalSystemException;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * S3Proxy on loopback with a jclouds {@code filesystem} blobstore in a directory (real multipart objects on disk),
 * AWS V2/V4 authentication with the given keys. Used by {@code demo}, the tests and {@code bench/modelsync.sh};
 * nothing else loads it.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.context = context;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** @param port 0 for a free one; lenient about headers it does not know ({@code x-amz-checksum-mode}) */
    public static EmbeddedS3 start(Path directory, int port, String accessKey, String secretKey) {
        return start(directory, port, accessKey, secretKey, true);
    }

    /**
     * @param ignoreUnknownHeaders true for S3Proxy's {@code s3proxy.ignore-unknown-headers}; false is its default,
     *                             which answers 501 NotImplemented to a request with a header it does not know
     */
    public static EmbeddedS3 start(Path directory, int port, String accessKey, String secretKey, boolean ignoreUnknownHeaders) {
        S3ProxyJar.ON_CLASSPATH.require();
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials("identity", "credential")
                .overrides(properties)
                .buildView(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(ignoreUnknownHeaders)
                .build();
        try {
            proxy.start();
            if (Poll.until(Duration.ofSeconds(30), Duration.ofMillis(10), last -> "STARTED".equals(proxy.getState()) ? proxy : null) == null) {
                throw new IllegalStateException("S3Proxy did not start within 30s");
            }
        } catch (Exception e) {
            context.close();
            throw new ExternalSystemException("cannot start the embedded S3 (S3Proxy) on 127.0.0.1:" + port + ": " + e.getMessage(),
                    "choose another port", e);
        }
        return new EmbeddedS3(proxy, context, accessKey, secretKey);
    }

    public BlobStore blobStore() {
        return context.getBlobStore();
    }

    public void createBucket(String bucket) {
        blobStore().createContainerInLocation(null, bucket);
    }

    public int port() {
        return proxy.getPort();
    }

    public String endpointUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The environment an S3 client needs to reach this server with the right keys. */
    public Map<String, String> clientEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey, "AWS_REGION", "us-east-1");
    }

    public S3Settings settings() {
        return new S3Settings(endpointUrl(), "us-east-1", null, clientEnvironment());
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception ignored) {
            // stopping a loopback server at the end
        } finally {
            context.close();
        }
    }
}
