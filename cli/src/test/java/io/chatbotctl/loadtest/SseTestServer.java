package io.chatbotctl.loadtest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small OpenAI-compatible streaming server on loopback with exactly known delays: a thread per connection
 * (HTTP/1.1 keep-alive, chunked SSE, TCP_NODELAY), the role chunk at once, the first content chunk
 * {@code ttftMillis} after the request was read, then one every {@code itlMillis} on absolute deadlines, a usage
 * chunk and {@code [DONE]}. It can stall (hold every response, new and running, until a given time) like a server
 * in a long GC pause, which the coordinated-omission test needs.
 */
final class SseTestServer implements AutoCloseable {
    private final ServerSocket socket;
    private final ExecutorService executor;
    private final int ttftMillis;
    private final int itlMillis;
    private final int tokens;
    private final boolean sendUsage;
    private volatile long stallUntilNanos;
    private volatile int failEvery;
    final AtomicInteger requests = new AtomicInteger();

    SseTestServer(int ttftMillis, int itlMillis, int tokens, boolean sendUsage) throws IOException {
        this.ttftMillis = ttftMillis;
        this.itlMillis = itlMillis;
        this.tokens = tokens;
        this.sendUsage = sendUsage;
        this.socket = new ServerSocket(0, 2000, InetAddress.getLoopbackAddress());
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sse-test-server");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::accept);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    /** Answers every n-th chat request with HTTP 503 (0: never). */
    void failEvery(int n) {
        failEvery = n;
    }

    /** Holds every response from now until {@code millis} from now. */
    void stallFor(long millis) {
        stallUntilNanos = System.nanoTime() + millis * 1_000_000L;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                executor.execute(() -> serve(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
             OutputStream out = connection.getOutputStream()) {
            String head;
            while ((head = readHead(in)) != null) {
                long start = System.nanoTime();
                String requestLine = head.substring(0, head.indexOf('\r'));
                int length = contentLength(head);
                in.readNBytes(length);
                if (requestLine.startsWith("GET /v1/models")) {
                    byte[] body = "{\"object\":\"list\",\"data\":[{\"id\":\"test-model\",\"object\":\"model\"}]}"
                            .getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                } else if (requestLine.startsWith("POST /v1/chat/completions")) {
                    int n = requests.incrementAndGet();
                    int every = failEvery;
                    if (every > 0 && n % every == 0) {
                        byte[] body = "{\"object\":\"error\",\"message\":\"overloaded\",\"code\":503}".getBytes(StandardCharsets.UTF_8);
                        out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                        out.flush();
                    } else {
                        stream(out, start);
                    }
                } else {
                    out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void stream(OutputStream out, long start) throws IOException {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        event(out, "{\"id\":\"c1\",\"model\":\"test-model\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}");
        for (int i = 0; i < tokens; i++) {
            waitUntil(start + (ttftMillis + (long) i * itlMillis) * 1_000_000L);
            String finish = i == tokens - 1 ? "\"stop\"" : "null";
            event(out, "{\"id\":\"c1\",\"model\":\"test-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"토큰" + i
                    + "\"},\"finish_reason\":" + finish + "}]}");
        }
        if (sendUsage) {
            event(out, "{\"id\":\"c1\",\"model\":\"test-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
                    + "\"completion_tokens\":" + tokens + ",\"total_tokens\":" + (12 + tokens) + "}}");
        }
        chunk(out, "data: [DONE]\n\n");
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void waitUntil(long deadline) {
        long remaining;
        while ((remaining = Math.max(deadline, stallUntilNanos) - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    private static void event(OutputStream out, String json) throws IOException {
        chunk(out, "data: " + json + "\n\n");
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The request line and headers up to the blank line, or null at the end of the connection. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            int n = head.size();
            if (n >= 4) {
                byte[] a = head.toByteArray();
                if (a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                    return head.toString(StandardCharsets.ISO_8859_1);
                }
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        executor.shutdownNow();
    }
}
