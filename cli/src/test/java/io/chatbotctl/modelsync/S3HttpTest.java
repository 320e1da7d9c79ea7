package io.chatbotctl.modelsync;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.testing.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ServerSocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire protocol against a raw-socket server that answers as scripted, including the ways S3 misbehaves. */
class S3HttpTest {
    private static final byte[] OBJECT = new byte[3 * S3Http.BUFFER_BYTES + 12345];

    static {
        new Random(7).nextBytes(OBJECT);
    }

    @TempDir
    Path dir;
    private ScriptedServer server;
    private S3Http http;
    private final List<PartFile> writers = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (PartFile writer : writers) {
            writer.close();
        }
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** What the server does with the n-th request (counting from 0) on a connection it has accepted. */
    interface Script {
        void answer(int request, String head, OutputStream out) throws IOException;
    }

    @Test
    void rangesStreamIntoTheFileOverOneKeptAliveConnection() throws Exception {
        server = new ScriptedServer((n, head, out) -> range(head, out));
        http = new S3Http(1, Duration.ofSeconds(5), null);
        Path file = sized(OBJECT.length);
        long[][] ranges = {{0, 1000}, {1000, OBJECT.length - 7}, {OBJECT.length - 7, OBJECT.length}};
        for (long[] r : ranges) {
            S3Http.Response response = http.getToFile(() -> get("bytes=" + r[0] + "-" + (r[1] - 1)), writer(file), r[0], r[1] - r[0], null).join();
            assertEquals(206, response.status());
        }
        assertArrayEquals(OBJECT, Files.readAllBytes(file));
        assertEquals(1, server.connections.get(), "one connection, kept alive");
        assertEquals(3, server.requests.size());
    }

    @Test
    void aChunkedErrorAnswerComesBackWithItsBodyAndTheConnectionStaysUsable() throws Exception {
        String xml = "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>";
        server = new ScriptedServer((n, head, out) -> {
            if (n == 0) {
                out.write(("HTTP/1.1 412 Precondition Failed\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(20) + ";ext=1\r\n" + xml.substring(0, 20) + "\r\n"
                        + Integer.toHexString(xml.length() - 20) + "\r\n" + xml.substring(20) + "\r\n0\r\nX-Trailer: t\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                range(head, out);
            }
        });
        http = new S3Http(1, Duration.ofSeconds(5), null);
        Path file = sized(OBJECT.length);
        S3Http.Response refused = http.getToFile(() -> get("bytes=0-99"), writer(file), 0, 100, null).join();
        assertEquals(412, refused.status());
        assertEquals("PreconditionFailed", ListingXml.error(refused.body()).code());
        assertArrayEquals(new byte[100], java.util.Arrays.copyOf(Files.readAllBytes(file), 100), "nothing written");
        assertEquals(206, http.getToFile(() -> get("bytes=0-99"), writer(file), 0, 100, null).join().status());
        assertEquals(1, server.connections.get());
    }

    @Test
    void headAnswersCarryALengthButNoBody() throws Exception {
        server = new ScriptedServer((n, head, out) -> out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + OBJECT.length
                + "\r\nETag: \"abc\"\r\nx-amz-checksum-crc64nvme: AAAAAAAAAAA=\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        http = new S3Http(1, Duration.ofSeconds(5), null);
        for (int i = 0; i < 2; i++) {
            S3Http.Response response = http.send(() -> request("HEAD", List.of()));
            assertEquals(Integer.toString(OBJECT.length), response.header("content-length"));
            assertEquals("\"abc\"", response.header("etag"));
            assertEquals("AAAAAAAAAAA=", response.header("x-amz-checksum-crc64nvme"));
        }
        assertEquals(1, server.connections.get());
    }

    @Test
    void slowDownAndDroppedConnectionsAreRetriedAndSignedAfresh() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        server = new ScriptedServer((n, head, out) -> {
            switch (seen.getAndIncrement()) {
                case 0 -> out.write("HTTP/1.1 503 Slow Down\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                case 1 -> {
                    out.write(("HTTP/1.1 206 Partial Content\r\nContent-Length: " + OBJECT.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(OBJECT, 0, OBJECT.length / 2);
                    throw new IOException("drop the connection mid-body");
                }
                default -> range(head, out);
            }
        });
        http = new S3Http(2, Duration.ofSeconds(5), null);
        AtomicInteger signatures = new AtomicInteger();
        Path file = sized(OBJECT.length);
        java.util.zip.CRC32C checksum = new java.util.zip.CRC32C();
        S3Http.Response response = http.getToFile(() -> {
            signatures.incrementAndGet();
            return get("bytes=0-" + (OBJECT.length - 1));
        }, writer(file), 0, OBJECT.length, checksum).join();
        assertEquals(206, response.status());
        assertArrayEquals(OBJECT, Files.readAllBytes(file));
        java.util.zip.CRC32C whole = new java.util.zip.CRC32C();
        whole.update(OBJECT);
        assertEquals(whole.getValue(), checksum.getValue(), "the checksum starts again with each attempt");
        assertEquals(3, signatures.get(), "each attempt is signed again");
        assertEquals(2, server.connections.get(), "the dropped connection is replaced");
    }

    @Test
    void aServerThatFallsSilentTimesOut() throws Exception {
        server = new ScriptedServer((n, head, out) -> {
            out.write(("HTTP/1.1 206 Partial Content\r\nContent-Length: " + OBJECT.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(OBJECT, 0, 10);
            out.flush();
            sleep(5_000);
        });
        http = new S3Http(1, Duration.ofMillis(300), null);
        CompletionException failure = assertThrows(CompletionException.class,
                () -> http.getToFile(() -> get("bytes=0-" + (OBJECT.length - 1)), writer(sized(OBJECT.length)), 0, OBJECT.length, null).join());
        assertInstanceOf(S3Http.ReadTimeoutException.class, failure.getCause());
        assertEquals(4, server.requests.size(), "every attempt was made");
    }

    @Test
    void aBodyOfTheWrongLengthIsRefused() throws Exception {
        server = new ScriptedServer((n, head, out) -> range(head, out));
        http = new S3Http(1, Duration.ofSeconds(5), null);
        CompletionException failure = assertThrows(CompletionException.class,
                () -> http.getToFile(() -> get("bytes=0-99"), writer(sized(OBJECT.length)), 0, 200, null).join());
        assertInstanceOf(S3Http.UnexpectedAnswerException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains("expected 200 bytes, the answer announced 100"), failure.getCause().getMessage());
    }

    @Test
    void aStoreThatIgnoresRangesFailsAtOnceButServesAWholeFileRange() throws Exception {
        server = new ScriptedServer((n, head, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + OBJECT.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(OBJECT);
        });
        http = new S3Http(1, Duration.ofSeconds(5), null);
        Path file = sized(OBJECT.length);
        CompletionException failure = assertThrows(CompletionException.class,
                () -> http.getToFile(() -> get("bytes=0-99"), writer(file), 0, 100, null).join());
        assertInstanceOf(S3Http.RangeIgnoredException.class, failure.getCause());
        assertEquals(1, server.requests.size(), "not retried");
        assertEquals(200, http.getToFile(() -> get("bytes=0-" + (OBJECT.length - 1)), writer(file), 0, OBJECT.length, null).join().status());
        assertArrayEquals(OBJECT, Files.readAllBytes(file));
    }

    @Test
    void aFileThatCannotBeWrittenFailsAtOnceWithoutRetrying() throws Exception {
        server = new ScriptedServer((n, head, out) -> range(head, out));
        http = new S3Http(1, Duration.ofSeconds(5), null);
        PartFile closed = writer(sized(OBJECT.length));
        closed.close();
        CompletionException failure = assertThrows(CompletionException.class,
                () -> http.getToFile(() -> get("bytes=0-99"), closed, 0, 100, null).join());
        assertInstanceOf(S3Http.FileWriteException.class, failure.getCause());
        assertEquals(1, server.requests.size());
    }

    @Test
    void aClosedPortFailsAfterTheRetries() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        http = new S3Http(1, Duration.ofSeconds(5), null);
        int closedPort = port;
        IOException refused = assertThrows(IOException.class, () -> http.send(
                () -> new S3Http.Request("GET", false, "127.0.0.1", closedPort, "/b?list-type=2", List.of(Map.entry("Host", "x")))));
        assertTrue(refused.getMessage().toLowerCase().contains("refused"), refused.getMessage());
    }

    @Test
    void httpsTrustsExactlyTheCaBundleAndAnUnknownCertificateFailsAtOnce() throws Exception {
        KeyStore keys = SelfSignedCertificate.keyStore(dir);
        KeyManagerFactory serverKeys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        serverKeys.init(keys, SelfSignedCertificate.PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(serverKeys.getKeyManagers(), null, null);
        server = new ScriptedServer(serverTls.getServerSocketFactory(), (n, head, out) -> range(head, out));
        Path bundle = SelfSignedCertificate.pem(keys, dir.resolve("ca.pem"));
        http = new S3Http(1, Duration.ofSeconds(5), CaBundle.socketFactory(settings(Map.of(CaBundle.VARIABLE, bundle.toString()))));
        Path file = sized(OBJECT.length);
        S3Http.Request request = new S3Http.Request("GET", true, "127.0.0.1", server.port(), "/bucket/key",
                List.of(Map.entry("Host", "127.0.0.1:" + server.port()), Map.entry("Range", "bytes=0-" + (OBJECT.length - 1))));
        assertEquals(206, http.getToFile(() -> request, writer(file), 0, OBJECT.length, null).join().status());
        assertArrayEquals(OBJECT, Files.readAllBytes(file));

        try (S3Http untrusting = new S3Http(1, Duration.ofSeconds(5), CaBundle.socketFactory(settings(Map.of())))) {
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> untrusting.getToFile(() -> request, writer(file), 0, OBJECT.length, null).join());
            assertInstanceOf(SSLHandshakeException.class, refused.getCause());
        }
        assertEquals(2, server.connections.get(), "the refused handshake is not retried");
        assertEquals(1, server.requests.size());

        Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s");
        try (S3Reader reader = new S3Reader(new S3Settings("https://127.0.0.1:" + server.port(), null, null, credentials), 1)) {
            ExternalSystemException e = assertThrows(ExternalSystemException.class, () -> reader.list(S3Location.parse("s3://models/m"), null));
            assertTrue(e.getMessage().startsWith("TLS handshake with S3 failed for s3://models/m"), e.getMessage());
            assertTrue(e.hint().contains("AWS_CA_BUNDLE"), e.hint());
            assertEquals(4, e.exitCode());
        }
    }

    @Test
    void aTlsHandshakeThatNeverCompletesTimesOut() throws Exception {
        server = new ScriptedServer((n, head, out) -> out.write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        http = new S3Http(1, Duration.ofMillis(300), CaBundle.socketFactory(settings(Map.of())));
        S3Http.Request request = new S3Http.Request("HEAD", true, "127.0.0.1", server.port(), "/bucket/key",
                List.of(Map.entry("Host", "127.0.0.1:" + server.port())));
        IOException silent = assertThrows(IOException.class, () -> http.send(() -> request));
        assertInstanceOf(java.net.SocketTimeoutException.class, silent, silent.toString());
        assertEquals(4, server.connections.get(), "each attempt waited for the handshake, then gave up");
    }

    @Test
    void aCaBundleThatCannotBeReadIsOneClearError() throws Exception {
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> CaBundle.socketFactory(settings(Map.of(CaBundle.VARIABLE, dir.resolve("nope.pem").toString()))));
        assertTrue(missing.getMessage().startsWith("cannot read the CA bundle AWS_CA_BUNDLE="), missing.getMessage());
        assertTrue(missing.getMessage().endsWith("nope.pem: no such file"), missing.getMessage());
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> CaBundle.socketFactory(settings(Map.of(CaBundle.VARIABLE, empty.toString()))));
        assertTrue(none.getMessage().endsWith("holds no certificates"), none.getMessage());
    }

    private static S3Settings settings(Map<String, String> variables) {
        return new S3Settings(null, null, null, variables);
    }

    private PartFile writer(Path file) throws IOException {
        PartFile writer = PartFile.open(file);
        writers.add(writer);
        return writer;
    }

    private Path sized(int bytes) throws IOException {
        Path file = dir.resolve("object.part");
        Files.write(file, new byte[bytes]);
        return file;
    }

    private S3Http.Request get(String range) {
        return request("GET", List.of(Map.entry("Range", range)));
    }

    private S3Http.Request request(String method, List<Map.Entry<String, String>> extra) {
        List<Map.Entry<String, String>> headers = new java.util.ArrayList<>(List.of(Map.entry("Host", "127.0.0.1:" + server.port())));
        headers.addAll(extra);
        return new S3Http.Request(method, false, "127.0.0.1", server.port(), "/bucket/key", headers);
    }

    /** Answers {@code Range: bytes=a-b} of {@link #OBJECT} with a 206. */
    private static void range(String head, OutputStream out) throws IOException {
        String spec = head.lines().filter(l -> l.startsWith("Range: bytes=")).findFirst().orElseThrow().substring("Range: bytes=".length());
        int from = Integer.parseInt(spec.substring(0, spec.indexOf('-')));
        int to = Integer.parseInt(spec.substring(spec.indexOf('-') + 1));
        out.write(("HTTP/1.1 206 Partial Content\r\nContent-Length: " + (to - from + 1) + "\r\nContent-Range: bytes "
                + from + "-" + to + "/" + OBJECT.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(OBJECT, from, to - from + 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Accepts connections and answers each request on them as the script says; a script that throws drops the connection. */
    static final class ScriptedServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ServerSocket socket;

        ScriptedServer(Script script) throws IOException {
            this(ServerSocketFactory.getDefault(), script);
        }

        ScriptedServer(ServerSocketFactory sockets, Script script) throws IOException {
            socket = sockets.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        connections.incrementAndGet();
                        Thread handler = new Thread(() -> serve(client, script), "scripted-connection");
                        handler.setDaemon(true);
                        handler.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "scripted-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(Socket client, Script script) {
            try (client) {
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                for (int n = 0; ; n++) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    requests.add(head);
                    script.answer(n, head, out);
                    out.flush();
                }
            } catch (IOException e) {
                // the script dropped the connection
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
