package io.chatbotctl.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request on a socket of its own, read as the bytes arrive: the test holds a streamed answer open for as long as
 * it likes, reads it to its end, or drops the connection mid-stream (a client that goes away).
 */
final class RawExchange implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status;
    final Map<String, String> headers = new LinkedHashMap<>();

    private RawExchange(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        socket.setSoTimeout(20_000);
    }

    /** Sends the request; {@link #head()} reads the answer's status and headers. */
    static RawExchange send(int port, String key, String requestId, String json) throws IOException {
        RawExchange x = new RawExchange(new Socket(InetAddress.getLoopbackAddress(), port));
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        x.socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n"
                + "content-type: application/json\r\nauthorization: Bearer " + key + "\r\nx-request-id: " + requestId
                + "\r\ncontent-length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        x.socket.getOutputStream().write(bytes);
        x.socket.getOutputStream().flush();
        return x;
    }

    /** Reads the status line and headers (the first chunk of a stream may come with them: it stays in the body). */
    RawExchange head() throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int end;
        while ((end = seen.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n")) < 0) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("connection closed before the headers: " + seen);
            }
            seen.write(buf, 0, n);
        }
        String all = seen.toString(StandardCharsets.ISO_8859_1);
        String[] lines = all.substring(0, end).split("\r\n");
        status = Integer.parseInt(lines[0].split(" ")[1]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] raw = seen.toByteArray();
        body.write(raw, end + 4, raw.length - end - 4);
        return this;
    }

    /** Reads until the body contains {@code text} (the stream's {@code [DONE]}, an error's closing brace). */
    String readUntil(String text) throws IOException {
        byte[] buf = new byte[4096];
        while (!body.toString(StandardCharsets.UTF_8).contains(text)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the answer ended without '" + text + "': " + body.toString(StandardCharsets.UTF_8));
            }
            body.write(buf, 0, n);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** What has arrived of the body so far, without waiting. */
    String bodySoFar() throws IOException {
        byte[] buf = new byte[4096];
        while (in.available() > 0) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            body.write(buf, 0, n);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    String header(String name) {
        return headers.get(name);
    }

    /** Drops the connection, as a client that goes away mid-answer does. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
