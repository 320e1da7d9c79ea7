package io.chatbotctl.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real Redis server (Debian's {@code redis-server}) on a free loopback port, without persistence, in a temporary
 * directory. Use in try-with-resources; {@link #stop()} takes it away mid-test and {@link #restart()} brings it back
 * on the same port.
 */
public final class RedisServer implements AutoCloseable {
    public static final String BINARY = "/usr/bin/redis-server";

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        RealParts.require(BINARY, "apt-get install -y redis-server");
        RedisServer server = new RedisServer(Files.createTempDirectory("redis-test"), FreePorts.next());
        server.restart();
        return server;
    }

    /** {@code redis://127.0.0.1:PORT} */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public void restart() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "yes")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("redis-server exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write("PING\r\n".getBytes());
                byte[] reply = new byte[7];
                if (s.getInputStream().read(reply) > 0 && new String(reply).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("redis-server not ready within 20 s");
    }

    /** Kills the server (as a crash or a network cut would). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        io.chatbotctl.core.FileTrees.delete(dir);
    }
}
