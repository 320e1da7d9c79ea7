package io.chatbotctl.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A lean closed-loop load client for streamed chat completions: one thread, one selector, raw HTTP/1.1 keep-alive
 * connections, so that the client and not the simulator is never what is measured at 1,000 streams. Per stream it
 * records TTFT (request written to first content chunk read) and ITL (mean gap between content chunks, i.e.
 * (last - first) / (n - 1)). Used by the latency tests and by {@code bench/sim.sh} (it has a {@code main}).
 */
public final class SseLoad {
    private static final byte[] CONTENT = "\"delta\":{\"content\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "data: [DONE]\n\n\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);

    /** Sorted per-stream figures; {@code itlMillis} only for streams with at least two content chunks. */
    public record Result(int completions, int errors, double seconds, long tokens, double[] ttftMillis,
                         double[] itlMillis) {
        public double percentile(double[] sorted, double p) {
            return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
        }

        public double itlMean() {
            return Arrays.stream(itlMillis).average().orElse(-1);
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"completions\":%d,\"errors\":%d,\"seconds\":%.1f,\"completions_per_s\":%.1f,"
                            + "\"tokens_per_s\":%.0f,\"itl_mean_ms\":%.2f,\"itl_p50_ms\":%.2f,\"itl_p99_ms\":%.2f,"
                            + "\"ttft_p50_ms\":%.1f,\"ttft_p99_ms\":%.1f}", completions, errors, seconds,
                    completions / seconds, tokens / seconds, itlMean(), percentile(itlMillis, 0.5),
                    percentile(itlMillis, 0.99), percentile(ttftMillis, 0.5), percentile(ttftMillis, 0.99));
        }
    }

    private static final class Conn {
        SocketChannel channel;
        ByteBuffer request;
        long sentNanos;
        long firstNanos;
        long lastNanos;
        int contents;
        int contentMatch;
        int endMatch;
        int okMatch;
        int read;
        boolean ok;
        int requestsLeft;
        int completed;
    }

    /**
     * @param requestsPerConnection stop each connection after this many requests (0 = until {@code duration} ends)
     */
    public static Result run(String host, int port, String body, int concurrency, Duration duration,
                             int requestsPerConnection) throws IOException {
        return run(host, port, body, concurrency, duration, requestsPerConnection, 0);
    }

    /**
     * @param unmeasured the first requests of each connection that are not recorded (they open the connection, as
     *                   a load test's warmed connection pool would)
     */
    public static Result run(String host, int port, String body, int concurrency, Duration duration,
                             int requestsPerConnection, int unmeasured) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " + payload.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + payload.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(payload, 0, request, head.length, payload.length);

        List<Double> ttft = new ArrayList<>();
        List<Double> itl = new ArrayList<>();
        long tokens = 0;
        int errors = 0;
        int active = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < concurrency; i++) {
                Conn c = new Conn();
                c.requestsLeft = requestsPerConnection;
                open(c, host, port, selector);
                c.request = ByteBuffer.wrap(request);
                active++;
            }
            while (active > 0) {
                selector.select(1000);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            c.channel.finishConnect();
                            key.interestOps(SelectionKey.OP_WRITE);
                        }
                        if (key.isValid() && key.isWritable()) {
                            if (c.request.position() == 0) {
                                c.sentNanos = System.nanoTime();
                            }
                            c.channel.write(c.request);
                            if (!c.request.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        }
                        if (key.isValid() && key.isReadable()) {
                            in.clear();
                            int n = c.channel.read(in);
                            if (n < 0) {
                                throw new IOException("closed mid-response");
                            }
                            long now = System.nanoTime();
                            boolean done = scan(c, in, n, now);
                            if (done) {
                                if (c.completed++ < unmeasured) {
                                    // opened the connection; not measured
                                } else if (c.ok && c.contents > 0) {
                                    ttft.add((c.firstNanos - c.sentNanos) / 1e6);
                                    if (c.contents > 1) {
                                        itl.add((c.lastNanos - c.firstNanos) / 1e6 / (c.contents - 1));
                                    }
                                    tokens += c.contents;
                                } else {
                                    errors++;
                                }
                                reset(c, request);
                                boolean more = c.requestsLeft == 0 ? now < end : --c.requestsLeft > 0;
                                if (more) {
                                    key.interestOps(SelectionKey.OP_WRITE);
                                } else {
                                    key.cancel();
                                    c.channel.close();
                                    active--;
                                }
                            }
                        }
                    } catch (IOException e) {
                        errors++;
                        key.cancel();
                        c.channel.close();
                        boolean more = c.requestsLeft == 0 ? System.nanoTime() < end : --c.requestsLeft > 0;
                        if (more) {
                            reset(c, request);
                            open(c, host, port, selector);
                        } else {
                            active--;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(ttft.size(), errors, seconds, tokens,
                ttft.stream().mapToDouble(Double::doubleValue).sorted().toArray(),
                itl.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    private static void open(Conn c, String host, int port, Selector selector) throws IOException {
        c.channel = SocketChannel.open();
        c.channel.configureBlocking(false);
        c.channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        c.channel.connect(new InetSocketAddress(host, port));
        c.channel.register(selector, SelectionKey.OP_CONNECT, c);
    }

    private static void reset(Conn c, byte[] request) {
        c.request = ByteBuffer.wrap(request);
        c.firstNanos = 0;
        c.lastNanos = 0;
        c.contents = 0;
        c.contentMatch = 0;
        c.endMatch = 0;
        c.okMatch = 0;
        c.read = 0;
        c.ok = false;
    }

    /** Finds content chunks and the end of the response in what was just read; true at the end. */
    private static boolean scan(Conn c, ByteBuffer in, int n, long now) throws IOException {
        for (int i = 0; i < n; i++) {
            byte b = in.get(i);
            if (c.read < OK.length) {
                c.okMatch += b == OK[c.read] ? 1 : 0;
                c.read++;
                c.ok = c.okMatch == OK.length;
                if (c.read == OK.length && !c.ok) {
                    throw new IOException("status other than 200");
                }
                continue;
            }
            c.contentMatch = b == CONTENT[c.contentMatch] ? c.contentMatch + 1 : (b == CONTENT[0] ? 1 : 0);
            if (c.contentMatch == CONTENT.length) {
                c.contentMatch = 0;
                if (c.contents++ == 0) {
                    c.firstNanos = now;
                }
                c.lastNanos = now;
            }
            c.endMatch = b == END[c.endMatch] ? c.endMatch + 1 : (b == END[0] ? 1 : 0);
            if (c.endMatch == END.length) {
                return true;
            }
        }
        return false;
    }

    /** {@code SseLoad URL CONCURRENCY SECONDS MAX_TOKENS}: prints one JSON line. */
    public static void main(String[] args) throws Exception {
        java.net.URI uri = java.net.URI.create(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        Duration duration = Duration.ofMillis((long) (Double.parseDouble(args[2]) * 1000));
        String body = "{\"model\":\"" + SimConfig.DEFAULT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Where is my order?\"}],\"max_tokens\":" + Integer.parseInt(args[3]) + ",\"stream\":true}";
        Result r = run(uri.getHost(), uri.getPort(), body, concurrency, duration, 0);
        System.out.println("{\"concurrency\":" + concurrency + "," + r.json().substring(1));
    }
}
