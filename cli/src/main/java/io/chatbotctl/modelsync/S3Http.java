package io.chatbotctl.modelsync;

import io.chatbotctl.core.RetryPolicy;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.Checksum;

/**
 * HTTP/1.1 to S3 over keep-alive connections, one blocking worker per connection. A body is streamed through the
 * connection's 256 KiB buffer straight into its file at its offset, so every byte is written while it is still in
 * the CPU cache. (The CRT's S3 client collects a whole part before writing it; on a 2-core machine those cold
 * 16 MiB copies into the page cache cost more CPU than the transfer, see docs/benchmarks.md.)
 *
 * <p>Failures to connect, dropped connections, read timeouts and 500/502/503/504 answers are retried with backoff;
 * other answers are returned with their status and (small) body for the caller to map.
 */
final class S3Http implements AutoCloseable {
    static final int BUFFER_BYTES = 256 << 10;
    private static final int ATTEMPTS = 4;
    private static final int MAX_ERROR_BODY_BYTES = 64 << 10;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Internal error, bad gateway, SlowDown / unavailable, gateway timeout. */
    private static final Set<Integer> RETRIED_STATUSES = Set.of(500, 502, 503, 504);

    private final ExecutorService workers;
    private final ScheduledExecutorService watchdog;
    private final Map<String, Deque<Connection>> idle = new HashMap<>();
    private final Set<Connection> busy = ConcurrentHashMap.newKeySet();
    private final long readTimeoutNanos;
    private final SSLSocketFactory tls;
    /** Four attempts, pauses from 200 ms doubling; a store's Retry-After is honoured within the deadline (4 read timeouts). */
    private final RetryPolicy retry;

    /** A request as it goes on the wire: the target is the encoded path and query; headers include Host. */
    record Request(String method, boolean https, String host, int port, String target, List<Map.Entry<String, String>> headers) {
    }

    /** An answer: status, headers (lower-case names) and the body when it was collected in memory. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** The connection went quiet for longer than the read timeout. */
    static final class ReadTimeoutException extends IOException {
        ReadTimeoutException(String message) {
            super(message);
        }
    }

    /** The server answered, but not as HTTP/1.1 or not with what was asked for (retried like a dropped connection). */
    static final class UnexpectedAnswerException extends IOException {
        UnexpectedAnswerException(String message) {
            super(message);
        }
    }

    /** A ranged GET was answered with the whole object (status 200): the store ignores {@code Range}; not retried. */
    static final class RangeIgnoredException extends IOException {
        RangeIgnoredException(String message) {
            super(message);
        }
    }

    /** Writing the destination file failed: not retried, and reported as a local problem. */
    static final class FileWriteException extends UncheckedIOException {
        FileWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** @param tls how https connections are made (whose certificates are trusted); null when only http is used */
    S3Http(int connections, Duration readTimeout, SSLSocketFactory tls) {
        this.readTimeoutNanos = readTimeout.toNanos();
        this.tls = tls;
        this.retry = RetryPolicy.of(ATTEMPTS, Duration.ofMillis(200), Duration.ofSeconds(2), readTimeout.multipliedBy(ATTEMPTS).plusSeconds(10));
        this.workers = Executors.newFixedThreadPool(connections, ModelSync.daemon("modelsync-http"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(ModelSync.daemon("modelsync-http-watchdog"));
        long periodMillis = Math.max(100, readTimeout.toMillis() / 4);
        watchdog.scheduleAtFixedRate(this::closeSilentConnections, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Sends the request (signed afresh for each attempt) and collects the answer's body in memory. */
    Response send(Supplier<Request> signed) throws IOException {
        return attempt(signed, null, 0, -1, null);
    }

    /**
     * GETs a range into {@code file} at {@code position}: a 206 (or a 200) with exactly {@code lengthBytes} bytes
     * is written there, and fed to {@code checksum} (unless null) on the way; any other answer completes with its
     * {@link Response}, nothing written.
     */
    CompletableFuture<Response> getToFile(Supplier<Request> signed, PartFile file, long position, long lengthBytes, Checksum checksum) {
        CompletableFuture<Response> done = new CompletableFuture<>();
        workers.execute(() -> {
            try {
                done.complete(attempt(signed, file, position, lengthBytes, checksum));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private Response attempt(Supplier<Request> signed, PartFile file, long position, long lengthBytes, Checksum checksum)
            throws IOException {
        RetryPolicy.Result<Response> result;
        try {
            result = retry.run(n -> {
                Request request = signed.get();
                Connection connection = null;
                try {
                    connection = take(request);
                    if (checksum != null) {
                        checksum.reset();
                    }
                    Response response = connection.exchange(request, file, position, lengthBytes, checksum);
                    release(connection);
                    connection = null;
                    return RETRIED_STATUSES.contains(response.status())
                            ? RetryPolicy.Outcome.retry(response, RetryPolicy.retryAfter(response.header("retry-after"), Clock.systemUTC()))
                            : RetryPolicy.Outcome.done(response);
                } catch (FileWriteException | SSLHandshakeException | RangeIgnoredException e) {
                    throw e;
                } catch (IOException e) {
                    return RetryPolicy.Outcome.failed(connection != null && connection.timedOut
                            ? new ReadTimeoutException("no data for " + Duration.ofNanos(readTimeoutNanos).toSeconds() + " s") : e, null);
                } finally {
                    if (connection != null) {
                        discard(connection);
                    }
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        if (result.failure() != null) {
            throw (IOException) result.failure();
        }
        return result.value();
    }

    private Connection take(Request request) throws IOException {
        String key = (request.https() ? "https://" : "http://") + request.host() + ":" + request.port();
        Connection connection;
        synchronized (idle) {
            Deque<Connection> pool = idle.get(key);
            connection = pool == null ? null : pool.pollFirst();
        }
        if (connection == null) {
            connection = Connection.open(key, request, tls, (int) Math.min(CONNECT_TIMEOUT_MILLIS, readTimeoutNanos / 1_000_000));
        }
        connection.touch();
        busy.add(connection);
        return connection;
    }

    private void release(Connection connection) {
        busy.remove(connection);
        if (!connection.reusable) {
            connection.close();
            return;
        }
        synchronized (idle) {
            idle.computeIfAbsent(connection.key, k -> new ArrayDeque<>()).addFirst(connection);
        }
    }

    private void discard(Connection connection) {
        busy.remove(connection);
        connection.close();
    }

    private void closeSilentConnections() {
        long now = System.nanoTime();
        for (Connection connection : busy) {
            if (now - connection.lastActivityNanos > readTimeoutNanos) {
                connection.timedOut = true;
                connection.close();
            }
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        watchdog.shutdownNow();
        synchronized (idle) {
            idle.values().forEach(pool -> pool.forEach(Connection::close));
            idle.clear();
        }
        busy.forEach(Connection::close);
    }

    /** Where a body goes: a file at an offset, or memory. */
    private interface Sink {
        void accept(ByteBuffer bytes) throws IOException;
    }

    private static final class Connection {
        final String key;
        private final Socket socket;
        private final ReadableByteChannel in;
        private final WritableByteChannel out;
        /** Unread bytes are between position and limit. */
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).flip();
        volatile long lastActivityNanos;
        volatile boolean timedOut;
        boolean reusable;

        private Connection(String key, Socket socket, ReadableByteChannel in, WritableByteChannel out) {
            this.key = key;
            this.socket = socket;
            this.in = in;
            this.out = out;
        }

        /** @param handshakeTimeoutMillis how long a TLS handshake may take */
        static Connection open(String key, Request request, SSLSocketFactory tls, int handshakeTimeoutMillis) throws IOException {
            InetSocketAddress address = new InetSocketAddress(request.host(), request.port());
            if (!request.https()) {
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.socket().connect(address, CONNECT_TIMEOUT_MILLIS);
                    channel.socket().setTcpNoDelay(true);
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return new Connection(key, channel.socket(), channel, channel);
            }
            SSLSocket socket = (SSLSocket) tls.createSocket();
            try {
                socket.connect(address, CONNECT_TIMEOUT_MILLIS);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!request.host().matches("[0-9.]+|.*:.*")) {
                    parameters.setServerNames(List.of(new SNIHostName(request.host())));
                }
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(handshakeTimeoutMillis);
                socket.startHandshake();
                socket.setSoTimeout(0);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            return new Connection(key, socket, Channels.newChannel(socket.getInputStream()), Channels.newChannel(socket.getOutputStream()));
        }

        void touch() {
            lastActivityNanos = System.nanoTime();
        }

        Response exchange(Request request, PartFile file, long position, long lengthBytes, Checksum checksum) throws IOException {
            reusable = false;
            write(request);
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new UnexpectedAnswerException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new TreeMap<>();
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
                }
            }
            boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
            String lengthHeader = headers.get("content-length");
            long contentLength = chunked || lengthHeader == null ? -1 : Long.parseLong(lengthHeader);
            boolean noBody = request.method().equals("HEAD") || status == 204 || status == 304 || status / 100 == 1;
            boolean toFile = file != null && (status == 206 || status == 200);
            byte[] collected = null;
            if (noBody) {
                reusable = true;
            } else if (toFile) {
                if (status == 200 && contentLength != lengthBytes) {
                    throw new RangeIgnoredException("a GET of " + lengthBytes + " bytes was answered with the whole object"
                            + (contentLength < 0 ? "" : " (" + contentLength + " bytes)"));
                }
                if (contentLength != lengthBytes) {
                    throw new UnexpectedAnswerException("expected " + lengthBytes + " bytes, the answer announced "
                            + (contentLength < 0 ? "no length" : contentLength));
                }
                long[] at = {position};
                body(contentLength, bytes -> {
                    if (checksum != null) {
                        checksum.update(bytes.duplicate());
                    }
                    try {
                        int n = bytes.remaining();
                        file.write(bytes, at[0]);
                        at[0] += n;
                    } catch (IOException e) {
                        throw new FileWriteException(e);
                    }
                });
                reusable = true;
            } else {
                ByteArrayOutputStream memory = new ByteArrayOutputStream();
                Sink sink = bytes -> {
                    int n = bytes.remaining();
                    if (memory.size() + n <= (file == null ? Integer.MAX_VALUE - 16 : MAX_ERROR_BODY_BYTES)) {
                        byte[] chunk = new byte[n];
                        bytes.get(chunk);
                        memory.write(chunk, 0, n);
                    } else {
                        bytes.position(bytes.limit());
                    }
                };
                if (chunked) {
                    chunkedBody(sink);
                    reusable = true;
                } else if (contentLength >= 0) {
                    body(contentLength, sink);
                    reusable = true;
                } else {
                    untilClosed(sink);
                }
                collected = memory.toByteArray();
            }
            if ("close".equalsIgnoreCase(headers.get("connection"))) {
                reusable = false;
            }
            return new Response(status, headers, collected);
        }

        private void write(Request request) throws IOException {
            StringBuilder head = new StringBuilder(512).append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
            for (Map.Entry<String, String> h : request.headers()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            head.append("\r\n");
            ByteBuffer bytes = ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            touch();
        }

        /** Reads more into the buffer; false at the end of the stream. */
        private boolean fill() throws IOException {
            buffer.compact();
            int n;
            try {
                n = in.read(buffer);
            } finally {
                buffer.flip();
            }
            touch();
            return n >= 0;
        }

        private String line() throws IOException {
            int from = buffer.position();
            while (true) {
                for (int i = from; i + 1 < buffer.limit(); i++) {
                    if (buffer.get(i) == '\r' && buffer.get(i + 1) == '\n') {
                        byte[] text = new byte[i - buffer.position()];
                        buffer.get(text);
                        buffer.position(buffer.position() + 2);
                        return new String(text, StandardCharsets.ISO_8859_1);
                    }
                }
                if (buffer.position() == 0 && buffer.limit() == buffer.capacity()) {
                    throw new UnexpectedAnswerException("an HTTP header line longer than " + BUFFER_BYTES + " bytes");
                }
                from = Math.max(0, buffer.limit() - buffer.position() - 1);
                if (!fill()) {
                    throw new EOFException("the connection closed before the answer ended");
                }
            }
        }

        private void body(long lengthBytes, Sink sink) throws IOException {
            long left = lengthBytes;
            while (left > 0) {
                if (!buffer.hasRemaining() && !fill()) {
                    throw new EOFException("the connection closed with " + left + " of " + lengthBytes + " bytes still to come");
                }
                int n = (int) Math.min(left, buffer.remaining());
                ByteBuffer slice = buffer.slice(buffer.position(), n);
                sink.accept(slice);
                buffer.position(buffer.position() + n);
                left -= n;
            }
        }

        private void chunkedBody(Sink sink) throws IOException {
            while (true) {
                String size = line();
                int extension = size.indexOf(';');
                long length = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                if (length == 0) {
                    while (!line().isEmpty()) {
                        // trailers are not needed
                    }
                    return;
                }
                body(length, sink);
                line();
            }
        }

        private void untilClosed(Sink sink) throws IOException {
            do {
                if (buffer.hasRemaining()) {
                    sink.accept(buffer.slice());
                    buffer.position(buffer.limit());
                }
            } while (fill());
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
    }
}
