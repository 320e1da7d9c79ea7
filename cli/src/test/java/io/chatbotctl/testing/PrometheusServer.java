package io.chatbotctl.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The real Prometheus server (Debian's {@code prometheus} package) on loopback, scraping the given targets every
 * second, with its data in a temporary directory. Use in try-with-resources.
 *
 * <pre>{@code
 * try (PrometheusServer prom = PrometheusServer.start(List.of(
 *         new PrometheusServer.Target("127.0.0.1:" + stable.port(), Map.of("track", "stable")),
 *         new PrometheusServer.Target("127.0.0.1:" + canary.port(), Map.of("track", "canary"))))) {
 *     prom.awaitTargetsUp(Duration.ofSeconds(20));
 *     new PrometheusClient(prom.url(), Duration.ofSeconds(5)).query(...);
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {
    public static final String BINARY = "/usr/bin/prometheus";

    /**
     * @param hostPort {@code 127.0.0.1:PORT} serving {@code /metrics}
     * @param labels   labels added to every series scraped from it (e.g. {@code track=canary})
     */
    public record Target(String hostPort, Map<String, String> labels) {
    }

    private final Process process;
    private final Path dataDir;
    private final String url;
    private final Path log;

    private PrometheusServer(Process process, Path dataDir, String url, Path log) {
        this.process = process;
        this.dataDir = dataDir;
        this.url = url;
        this.log = log;
    }

    public static PrometheusServer start(List<Target> targets) throws IOException, InterruptedException {
        Path binary = RealParts.require(BINARY, "apt-get install -y prometheus");
        Path dir = Files.createTempDirectory("prometheus-test");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, config(targets));
        int port = FreePorts.next();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, dir, "http://127.0.0.1:" + port, log);
        server.awaitReady(Duration.ofSeconds(30));
        return server;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** Waits until every target's last scrape succeeded. */
    public void awaitTargetsUp(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get("/api/v1/targets?state=active");
            if (body.contains("\"health\":\"up\"") && !body.contains("\"health\":\"down\"")
                    && !body.contains("\"health\":\"unknown\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus targets not all up within " + timeout + ": " + body);
    }

    /** Waits for Prometheus to scrape at least twice more, so the latest values are stored. */
    public void awaitFreshScrapes() throws InterruptedException {
        Thread.sleep(2_200);
    }

    /** GET on Prometheus' HTTP API, e.g. {@code /api/v1/targets}. */
    public String get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /** Stops the server now (tests of an unreachable Prometheus). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        stop();
        io.chatbotctl.core.FileTrees.delete(dataDir);
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ": " + log());
            }
            try {
                if (get("/-/ready").contains("Ready")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus not ready within " + timeout + ": " + log());
    }

    private static String config(List<Target> targets) {
        String jobs = targets.stream().map(t -> "      - targets: ['" + t.hostPort() + "']\n"
                + "        labels: {" + t.labels().entrySet().stream()
                .map(e -> e.getKey() + ": '" + e.getValue() + "'").collect(Collectors.joining(", ")) + "}\n")
                .collect(Collectors.joining());
        return "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n  - job_name: chatbotctl-test\n    static_configs:\n" + jobs;
    }
}
