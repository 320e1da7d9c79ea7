package io.chatbotctl.cli;

import io.chatbotctl.core.ExternalSystemException;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code model serve-s3} in a child JVM, with chatbotctl-s3proxy.jar added to this JVM's classpath. The CDS training
 * runs the model commands against it so that its own JVM, whose classes the archive keeps, has chatbotctl.jar alone on
 * its classpath: the JVM maps an archive only where the training's classpath is a prefix of the running one, and the
 * model-loader image has no S3Proxy.
 */
final class ServeS3Process implements AutoCloseable {
    private final Process process;
    private final int port;

    private ServeS3Process(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Returns once the server has created the bucket (its "serving ..." line). */
    static ServeS3Process start(Path s3proxyJar, Path blobs, String bucket, String accessKey, String secretKey)
            throws IOException {
        int port = freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + s3proxyJar, Main.class.getName(),
                "model", "serve-s3", "--dir", blobs.toString(), "--port", String.valueOf(port), "--bucket", bucket,
                "--access-key", accessKey, "--secret-key", secretKey);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ServeS3Process server = new ServeS3Process(process, port);
        StringBuilder said = new StringBuilder();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("serving ")) {
                return server;
            }
            said.append(line).append('\n');
        }
        server.close();
        throw new ExternalSystemException("model serve-s3 (" + s3proxyJar + ") ended before serving:\n" + said);
    }

    String endpointUrl() {
        return "http://127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
