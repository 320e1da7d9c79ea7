package io.chatbotctl.prometheus;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.FileTrees;
import io.chatbotctl.core.HttpClients;
import io.chatbotctl.core.Poll;

import java.io.IOException;
import java.net.InetAddress;
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
 * The real Prometheus server (Debian's {@code prometheus} package) on loopback, scraping the given targets every
 * second, with its data in a temporary directory removed on close: the demo's and the tests' one launcher.
 *
 * <pre>{@code
 * try (LocalPrometheus prom = LocalPrometheus.start(List.of(
 *         new LocalPrometheus.Target("127.0.0.1:" + stable.port(), Map.of("track", "stable")),
 *         new LocalPrometheus.Target("127.0.0.1:" + canary.port(), Map.of("track", "canary"))))) {
 *     prom.awaitTargetsUp(Duration.ofSeconds(20));
 *     new PrometheusClient(prom.url(), Duration.ofSeconds(5)).query(...);
 * }
 * }</pre>
 */
public final class LocalPrometheus implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    public static final String INSTALL = "apt-get install -y prometheus";

    /**
     * @param hostPort {@code 127.0.0.1:PORT} serving {@code /metrics}
     * @param labels   labels added to every series scraped from it (e.g. {@code track=canary})
     */
    public record Target(String hostPort, Map<String, String> labels) {
    }

    private final Process process;
    private final Path dir;
    private final String url;

    private LocalPrometheus(Process process, Path dir, String url) {
        this.process = process;
        this.dir = dir;
        this.url = url;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts it and returns once it answers {@code /-/ready}; fails (exit 4) when the binary is missing. */
    public static LocalPrometheus start(List<Target> targets) throws IOException, InterruptedException {
        if (!installed()) {
            throw new ExternalSystemException(BINARY + " is not installed", INSTALL);
        }
        Path dir = Files.createTempDirectory("chatbotctl-prometheus");
        Files.writeString(dir.resolve("prometheus.yml"), config(targets));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        LocalPrometheus prometheus = new LocalPrometheus(process, dir, "http://127.0.0.1:" + port);
        try {
            prometheus.awaitReady(Duration.ofSeconds(30));
        } catch (RuntimeException | InterruptedException e) {
            prometheus.stop();
            throw e;
        }
        return prometheus;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** Waits until every target's last scrape succeeded. */
    public void awaitTargetsUp(Duration timeout) throws InterruptedException {
        String[] body = {""};
        boolean up = Poll.until(timeout, Duration.ofMillis(200), last -> {
            body[0] = getOrEmpty("/api/v1/targets?state=active");
            return body[0].contains("\"health\":\"up\"") && !body[0].contains("\"health\":\"down\"")
                    && !body[0].contains("\"health\":\"unknown\"") ? Boolean.TRUE : null;
        }) != null;
        if (!up) {
            throw failure("targets not all up within " + timeout.toSeconds() + "s: " + body[0]);
        }
    }

    /** Waits until the query returns at least {@code series} series with value ≥ 1 (e.g. every target up). */
    public void await(String query, int series, Duration timeout) throws InterruptedException {
        PrometheusClient client = new PrometheusClient(url, Duration.ofSeconds(2));
        Boolean found = Poll.until(timeout, Duration.ofMillis(250), last -> {
            try {
                if (client.query(query, Instant.now()).stream().filter(s -> s.value() >= 1).count() >= series) {
                    return Boolean.TRUE;
                }
            } catch (ExternalSystemException notYet) {
                // still starting
            }
            return process.isAlive() ? null : Boolean.FALSE;
        });
        if (!Boolean.TRUE.equals(found)) {
            throw failure("did not get " + query + " within " + timeout.toSeconds() + "s");
        }
    }

    /** Waits for Prometheus to scrape at least twice more (scrape interval 1 s), so the latest values are stored. */
    public void awaitFreshScrapes() throws InterruptedException {
        Thread.sleep(2_200);
    }

    /** GET on Prometheus' HTTP API, e.g. {@code /api/v1/targets}: the body, whatever the status. */
    public String get(String pathAndQuery) throws IOException {
        okhttp3.Request request = new okhttp3.Request.Builder().url(url + pathAndQuery).build();
        try (okhttp3.Response response = HttpClients.shared().newCall(request).execute()) {
            return response.body() == null ? "" : response.body().string();
        }
    }

    /** Stops the server now (tests of an unreachable Prometheus). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** What Prometheus logged (warnings and errors). */
    public String log() throws IOException {
        return Files.readString(dir.resolve("prometheus.log"));
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        FileTrees.delete(dir);
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        Boolean ready = Poll.until(timeout, Duration.ofMillis(100), last -> {
            if (!process.isAlive()) {
                return Boolean.FALSE;
            }
            return getOrEmpty("/-/ready").contains("Ready") ? Boolean.TRUE : null;
        });
        if (!Boolean.TRUE.equals(ready)) {
            throw failure(process.isAlive() ? "not ready within " + timeout.toSeconds() + "s" : "exited with " + process.exitValue());
        }
    }

    private String getOrEmpty(String pathAndQuery) {
        try {
            return get(pathAndQuery);
        } catch (IOException notListening) {
            return "";
        }
    }

    private ExternalSystemException failure(String what) {
        String log;
        try {
            log = log().strip();
        } catch (IOException e) {
            log = "";
        }
        return new ExternalSystemException("the local Prometheus " + what + (log.isEmpty() ? "" : "; its log: " + log),
                "see " + dir.resolve("prometheus.log"));
    }

    static String config(List<Target> targets) {
        String jobs = targets.stream().map(t -> "      - targets: ['" + t.hostPort() + "']\n"
                + "        labels: {" + t.labels().entrySet().stream()
                .map(e -> e.getKey() + ": '" + e.getValue() + "'").collect(Collectors.joining(", ")) + "}\n")
                .collect(Collectors.joining());
        return "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n  - job_name: chatbotctl\n    static_configs:\n" + jobs;
    }
}
