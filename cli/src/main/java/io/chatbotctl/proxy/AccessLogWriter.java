package io.chatbotctl.proxy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The access log's lines written by a thread of their own, in batches: the event loops only queue a line, and the
 * writer flushes once per batch instead of once per line (a write on stdout per request cost the event loop a system
 * call, and a lock shared by every event loop). Lines keep their order. When the output cannot keep up, the queue
 * fills and {@link #accept} waits, as the direct write did.
 */
public final class AccessLogWriter implements Consumer<String>, AutoCloseable {
    private static final int CAPACITY = 65_536;
    private static final String END = new String("end");

    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final PrintWriter out;
    private final Thread thread;

    public AccessLogWriter(PrintWriter out) {
        this.out = out;
        this.thread = new Thread(this::run, "proxy-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void accept(String line) {
        try {
            queue.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<String> batch = new ArrayList<>(1024);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, 4096);
                for (String line : batch) {
                    if (line == END) {
                        out.flush();
                        return;
                    }
                    out.println(line);
                }
                batch.clear();
                out.flush();
            }
        } catch (InterruptedException e) {
            out.flush();
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        if (!thread.isAlive()) {
            return;
        }
        accept(END);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
