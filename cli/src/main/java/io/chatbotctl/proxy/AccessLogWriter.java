package io.chatbotctl.proxy;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chatbotctl.core.Json;

import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The access log's lines formatted and written by a thread of their own, in batches: an event loop only queues the
 * request's {@link AccessRecord} (no formatting, no system call, no lock), and the writer turns a batch into JSON lines
 * with one long-lived generator and writes it to the output in one call. While lines come in, the writer wakes every
 * {@link #BATCH_MILLIS} ms to take what was queued (so the event loops never wake it); after a second without lines it
 * sleeps until the next line wakes it. Lines keep their order. When the output cannot keep up, the queue fills and
 * {@link #accept} waits, as a direct write would.
 */
public final class AccessLogWriter implements Consumer<String>, AutoCloseable {
    private static final int CAPACITY = 65_536;
    private static final int BATCH_MILLIS = 10;
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Object END = new Object();
    private static final String NEWLINE = System.lineSeparator();

    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final PrintWriter out;
    private final Thread thread;
    /** The writer sleeps until woken (no line for a while): the next line wakes it. */
    private volatile boolean sleeping;

    public AccessLogWriter(PrintWriter out) {
        this.out = out;
        this.thread = new Thread(this::run, "proxy-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /** A line already formatted. */
    @Override
    public void accept(String line) {
        put(line);
    }

    /** A request's line, formatted by the writer's thread. */
    void accept(AccessRecord record) {
        put(record);
    }

    private void put(Object line) {
        while (queued.get() >= CAPACITY && thread.isAlive()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        queue.add(line);
        queued.incrementAndGet();
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        CharArrayWriter batch = new CharArrayWriter(64 * 1024);
        long lastLine = System.nanoTime();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(batch)) {
            g.setRootValueSeparator(null);
            while (true) {
                boolean end = false;
                int n = 0;
                for (Object line; n < 4096 && (line = queue.poll()) != null; n++) {
                    queued.decrementAndGet();
                    if (line == END) {
                        end = true;
                        break;
                    }
                    if (line instanceof AccessRecord r) {
                        r.write(g);
                    } else {
                        g.writeRaw((String) line);
                    }
                    g.writeRaw(NEWLINE);
                }
                if (n > 0) {
                    g.flush();
                    batch.writeTo(out);
                    batch.reset();
                    out.flush();
                    lastLine = System.nanoTime();
                }
                if (end || Thread.interrupted()) {
                    return;
                }
                if (n == 4096) {
                    continue;
                }
                if (System.nanoTime() - lastLine < IDLE_NANOS) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS));
                } else {
                    sleeping = true;
                    if (queue.isEmpty()) { // checked after saying so: a line queued meanwhile is seen here or wakes us
                        LockSupport.park(this);
                    }
                    sleeping = false;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        if (!thread.isAlive()) {
            return;
        }
        put(END);
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
