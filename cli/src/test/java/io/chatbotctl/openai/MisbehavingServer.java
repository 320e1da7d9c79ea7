package io.chatbotctl.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A raw-socket HTTP server that answers one request with an SSE body written in given fragments, pausing between
 * them, then either ends the chunked body properly or drops the connection. It shows what TCP really delivers: a
 * line split across reads, events arriving late, a connection cut mid-event.
 */
final class MisbehavingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;

    MisbehavingServer(List<String> fragments, long pauseMillis, boolean dropAtEnd) throws IOException {
        socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(fragments, pauseMillis, dropAtEnd), "misbehaving-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** The SSE stream with every event cut in two, so that each arrives in two writes. */
    static List<String> halvedEvents(String stream) {
        List<String> fragments = new java.util.ArrayList<>();
        for (String event : stream.split("(?<=\n\n)")) {
            int half = event.length() / 2;
            fragments.add(event.substring(0, half));
            fragments.add(event.substring(half));
        }
        return fragments;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    private void serve(List<String> fragments, long pauseMillis, boolean dropAtEnd) {
        try (Socket client = socket.accept()) {
            readRequest(client.getInputStream());
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (String fragment : fragments) {
                byte[] bytes = fragment.getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(pauseMillis);
            }
            if (!dropAtEnd) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the test sees what the client saw
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int contentLength = 0;
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(contentLength);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
