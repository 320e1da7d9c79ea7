package io.chatbotctl.modelsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An embedded S3Proxy (filesystem blobstore) plus the Debian aws CLI as an independent client. */
final class S3Fixture implements AutoCloseable {
    static final String ACCESS_KEY = "chatbotctl-test";
    static final String SECRET_KEY = "chatbotctl-test-secret";
    static final String AWS = "/usr/bin/aws";

    /** S3Proxy as this project has always run it, and with its default settings (stores differ in what they accept). */
    enum Store {
        /** {@code ignoreUnknownHeaders(true)}: accepts {@code x-amz-checksum-mode} and ignores it. */
        LENIENT,
        /** S3Proxy's defaults: a header it does not know, such as {@code x-amz-checksum-mode}, is answered 501. */
        DEFAULTS
    }

    final EmbeddedS3 s3;
    final Store store;

    S3Fixture(Path blobs) {
        this(blobs, Store.LENIENT);
    }

    S3Fixture(Path blobs, Store store) {
        this.store = store;
        s3 = EmbeddedS3.start(blobs, 0, ACCESS_KEY, SECRET_KEY, store == Store.LENIENT);
    }

    void createBucket(String bucket) {
        s3.createBucket(bucket);
    }

    /** Runs the Debian aws CLI v2 against the fixture; fails the test with an install hint when it is missing. */
    String aws(String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(Path.of(AWS)), "the Debian aws CLI is missing: apt-get install -y awscli");
        List<String> command = new ArrayList<>(List.of(AWS, "--endpoint-url", s3.endpointUrl()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(s3.clientEnvironment());
        builder.environment().put("AWS_CONFIG_FILE", awsConfig().toString());
        builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "aws timed out");
        assertEquals(0, process.exitValue(), "aws " + String.join(" ", args) + " failed:\n" + out);
        return out;
    }

    /** Uploads a directory with the aws CLI (multipart above 5 MiB, in 5 MiB parts). */
    void awsUpload(Path dir, String uri) throws IOException, InterruptedException {
        aws("s3", "cp", "--recursive", "--only-show-errors", dir.toString(), uri);
    }

    private Path awsConfig;

    /** A config file with 5 MiB multipart threshold and parts, so a 12 MiB file becomes a 3-part object. */
    private Path awsConfig() throws IOException {
        if (awsConfig == null) {
            awsConfig = Files.createTempFile("aws-config", ".ini");
            Files.writeString(awsConfig, "[default]\ns3 =\n  multipart_threshold = 5MB\n  multipart_chunksize = 5MB\n");
            awsConfig.toFile().deleteOnExit();
        }
        return awsConfig;
    }

    @Override
    public void close() {
        s3.close();
    }

    static void write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SampleModel.randomFile(file, size, seed);
    }

    /** SHA-256 of every regular file under dir (outside .chatbotctl), by relative path. */
    static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString();
                if (!rel.startsWith(".chatbotctl")) {
                    hashes.put(rel, sha256(p));
                }
            }
        }
        return hashes;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
