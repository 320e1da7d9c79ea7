package io.chatbotctl.proxy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Counters in this process: exact for one replica; with N replicas a key gets up to N times its limits. */
final class LocalLimiter implements Limiter {
    private static final long MINUTE = 60_000;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    private static final class Counter {
        long window;
        long requests;
        long tokens;
        int inflight;
    }

    @Override
    public CompletableFuture<Decision> admit(ApiKey key, long estimatedTokens, String requestId) {
        return CompletableFuture.completedFuture(admitNow(key, estimatedTokens));
    }

    Decision admitNow(ApiKey key, long estimatedTokens) {
        long now = System.currentTimeMillis();
        long window = now / MINUTE;
        long reset = (window + 1) * MINUTE - now;
        Counter c = counters.computeIfAbsent(key.name(), n -> new Counter());
        synchronized (c) {
            if (c.window != window) {
                c.window = window;
                c.requests = 0;
                c.tokens = 0;
            }
            String limit = null;
            if (key.maxConcurrency() > 0 && c.inflight >= key.maxConcurrency()) {
                limit = "concurrency";
            } else if (key.rpm() > 0 && c.requests + 1 > key.rpm()) {
                limit = "requests";
            } else if (key.tpm() > 0 && c.tokens + estimatedTokens > key.tpm()) {
                limit = "tokens";
            }
            if (limit == null) {
                c.requests++;
                c.tokens += estimatedTokens;
                c.inflight++;
            }
            return new Decision(key, limit, c.requests, c.tokens, window, reset, estimatedTokens, false);
        }
    }

    @Override
    public void settle(Decision admitted, long actualTokens, String requestId) {
        Counter c = counters.get(admitted.key().name());
        if (c == null) {
            return;
        }
        synchronized (c) {
            if (c.window == admitted.window()) {
                c.tokens += actualTokens - admitted.estimatedTokens();
            }
            c.inflight = Math.max(0, c.inflight - 1);
        }
    }
}
