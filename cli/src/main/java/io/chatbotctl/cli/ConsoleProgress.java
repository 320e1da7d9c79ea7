package io.chatbotctl.cli;

import io.chatbotctl.core.Progress;

import java.io.PrintWriter;

/** A live, overwritten line on a terminal; a plain line at most every {@value #PLAIN_INTERVAL_NANOS} ns otherwise (CI logs). */
final class ConsoleProgress implements Progress {
    static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;
    private static final long LIVE_INTERVAL_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean live;
    private long lastNanos = Long.MIN_VALUE / 2;
    private int lastLength;

    ConsoleProgress(PrintWriter err, boolean live) {
        this.err = err;
        this.live = live;
    }

    @Override
    public synchronized void update(String line) {
        long now = System.nanoTime();
        if (now - lastNanos < (live ? LIVE_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
            return;
        }
        lastNanos = now;
        if (live) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    @Override
    public synchronized void log(String line) {
        if (live && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
        err.println(line);
        err.flush();
    }
}
