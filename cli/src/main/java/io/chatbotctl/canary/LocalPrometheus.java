package io.chatbotctl.canary;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.FileTrees;
import io.chatbotctl.prometheus.PrometheusClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Debian {@code prometheus} binary on loopback scraping given targets every second, for the demo (tests use
 * their own fixture). Its data lives in a temporary directory removed on close.
 */
public final class LocalPrometheus implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final Process process;
    private final Path dir;
    private final String url;

    /** A target {@code host:port} and the labels its series get, e.g. {@code track=canary}. */
    public record Target(String hostPort, Map<String, String> labels) {
    }

    private LocalPrometheus(Process process, Path dir, String url) {
        this.process = process;
        this.dir = dir;
        this.url = url;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    public static LocalPrometheus start(List<Target> targets) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("chatbotctl-prometheus");
        String scrape = targets.stream().map(t -> "      - targets: ['" + t.hostPort() + "']\n        labels: {"
                + t.labels().entrySet().stream().map(e -> e.getKey() + ": '" + e.getValue() + "'").collect(Collectors.joining(", "))
                + "}\n").collect(Collectors.joining());
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "scrape_configs:\n  - job_name: chatbotctl-demo\n    static_configs:\n" + scrape);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=error")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        LocalPrometheus prometheus = new LocalPrometheus(process, dir, "http://127.0.0.1:" + port);
        prometheus.await("up", targets.size(), Duration.ofSeconds(30));
        return prometheus;
    }

    public String url() {
        return url;
    }

    /** Waits until the query returns at least {@code series} series with value ≥ 1 (e.g. every target up). */
    public void await(String query, int series, Duration timeout) throws InterruptedException {
        PrometheusClient client = new PrometheusClient(url, Duration.ofSeconds(2));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (client.query(query, Instant.now()).stream().filter(s -> s.value() >= 1).count() >= series) {
                    return;
                }
            } catch (ExternalSystemException notYet) {
                // still starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new ExternalSystemException("the local Prometheus did not get " + query + " within " + timeout.toSeconds() + "s",
                        "see " + dir.resolve("prometheus.log"));
            }
            Thread.sleep(250);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        FileTrees.delete(dir);
    }
}
