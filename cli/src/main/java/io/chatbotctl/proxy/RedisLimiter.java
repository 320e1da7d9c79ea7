package io.chatbotctl.proxy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Limits shared by every replica through Redis: each admission and each settlement is one Lua script, so the check
 * and the count happen atomically in Redis whatever the number of replicas. Every key a script touches is passed in
 * {@code KEYS} (as Redis requires for scripts), under {@code chatbotctl:proxy:{NAME}:…}: one hash slot per API key,
 * so a Redis Cluster runs each script on one shard. The minute is the replica's clock (NTP keeps pods within
 * milliseconds). Concurrency is a sorted set of running requests whose entries expire, so a replica that dies
 * does not hold slots forever. Its members are named per admission (this replica's random id and a counter, after
 * the request id): request ids come from clients and need not be unique, and two requests sharing one must not
 * share a slot.
 * <p>
 * When Redis cannot answer (down, unreachable, slower than {@link #TIMEOUT}) the request is decided by
 * {@code fallback} (the replica's own counters, "fail open") or refused with 503 ("fail closed").
 */
final class RedisLimiter implements Limiter {
    static final Duration TIMEOUT = Duration.ofMillis(250);
    /** How long a running request holds a concurrency slot at most, should its replica never settle it. */
    private static final long INFLIGHT_TTL_MILLIS = 10 * 60_000;

    private static final String ADMIT = """
            local rpm, tpm, conc, est = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
            local now, ttl = tonumber(ARGV[6]), tonumber(ARGV[7])
            local r = tonumber(redis.call('GET', KEYS[1]) or '0')
            local tok = tonumber(redis.call('GET', KEYS[2]) or '0')
            local inflight = 0
            if conc > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
              inflight = redis.call('ZCARD', KEYS[3])
            end
            local limit = 0
            if conc > 0 and inflight >= conc then limit = 3
            elseif rpm > 0 and r + 1 > rpm then limit = 1
            elseif tpm > 0 and tok + est > tpm then limit = 2 end
            if limit == 0 then
              r = redis.call('INCR', KEYS[1])
              redis.call('PEXPIRE', KEYS[1], 120000)
              tok = redis.call('INCRBY', KEYS[2], est)
              redis.call('PEXPIRE', KEYS[2], 120000)
              if conc > 0 then
                redis.call('ZADD', KEYS[3], now + ttl, ARGV[5])
                redis.call('PEXPIRE', KEYS[3], ttl)
              end
            end
            return {limit, r, tok}
            """;
    private static final String SETTLE = """
            if tonumber(ARGV[1]) ~= 0 and redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('INCRBY', KEYS[1], ARGV[1])
            end
            redis.call('ZREM', KEYS[2], ARGV[2])
            return 1
            """;
    private static final String[] LIMITS = {null, "requests", "tokens", "concurrency"};

    /** Thrown (inside the future) when Redis cannot decide and the proxy fails closed. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private final ClientResources resources;
    private final RedisClient client;
    private final Limiter fallback;
    private final boolean failOpen;
    private final ProxyMetrics metrics;
    private final Consumer<String> warnings;
    private final ScheduledExecutorService connector;
    private volatile RedisAsyncCommands<String, String> commands;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile String admitSha;
    private volatile String settleSha;
    private volatile boolean reportedDown;
    /** Names this replica's admissions apart from every other replica's. */
    private final String replica = Long.toHexString(new java.security.SecureRandom().nextLong() | Long.MIN_VALUE);
    private final java.util.concurrent.atomic.AtomicLong admissions = new java.util.concurrent.atomic.AtomicLong();

    RedisLimiter(String url, Limiter fallback, boolean failOpen, ProxyMetrics metrics, Consumer<String> warnings) {
        this.fallback = fallback;
        this.failOpen = failOpen;
        this.metrics = metrics;
        this.warnings = warnings;
        // reconnect every half second: Lettuce's default backs off to 30 s, so limits would stay local long after Redis is back
        resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                .reconnectDelay(io.lettuce.core.resource.Delay.constant(Duration.ofMillis(500))).build();
        client = RedisClient.create(resources, RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
                .build());
        connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proxy-redis-connect");
            t.setDaemon(true);
            return t;
        });
        if (!connect()) {
            warnings.accept("Redis at " + redact(url) + " is unreachable; " + (failOpen
                    ? "limiting on this replica's own counters until it answers (--redis-failure open)"
                    : "refusing limited requests with 503 until it answers (--redis-failure closed)"));
            reportedDown = true;
            connector.scheduleWithFixedDelay(() -> {
                if (connection == null) {
                    connect();
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** The first connection; later drops are Lettuce's to reconnect. */
    private boolean connect() {
        try {
            StatefulRedisConnection<String, String> c = client.connect();
            RedisAsyncCommands<String, String> async = c.async();
            admitSha = c.sync().scriptLoad(ADMIT);
            settleSha = c.sync().scriptLoad(SETTLE);
            commands = async;
            connection = c;
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public CompletableFuture<Decision> admit(ApiKey key, long estimatedTokens, String requestId) {
        if (key.rpm() == 0 && key.tpm() == 0 && key.maxConcurrency() == 0) {
            return fallback.admit(key, estimatedTokens, requestId);
        }
        RedisAsyncCommands<String, String> c = commands;
        if (c == null) {
            return failed(key, estimatedTokens, requestId, "not connected");
        }
        long now = System.currentTimeMillis();
        long window = now / 60_000;
        String p = prefix(key);
        String[] keys = {p + ":r:" + window, p + ":t:" + window, p + ":inflight"};
        String slot = requestId + "@" + replica + "." + admissions.incrementAndGet();
        String[] args = {Integer.toString(key.rpm()), Integer.toString(key.tpm()), Integer.toString(key.maxConcurrency()),
                Long.toString(estimatedTokens), slot, Long.toString(now), Long.toString(INFLIGHT_TTL_MILLIS)};
        CompletableFuture<Decision> result = new CompletableFuture<>();
        this.<List<Object>>eval(c, admitSha, ADMIT, keys, args).whenComplete((reply, error) -> {
            if (error != null) {
                failed(key, estimatedTokens, requestId, String.valueOf(error.getMessage())).whenComplete((d, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(d);
                    }
                });
                return;
            }
            if (reportedDown) {
                reportedDown = false;
                warnings.accept("Redis answers again: limits are shared across replicas");
            }
            int limit = ((Long) reply.get(0)).intValue();
            result.complete(new Decision(key, LIMITS[limit], (Long) reply.get(1), (Long) reply.get(2), window,
                    (window + 1) * 60_000 - now, estimatedTokens, true, limit == 0 ? slot : null));
        });
        return result;
    }

    @Override
    public void settle(Decision admitted, long actualTokens, String requestId) {
        RedisAsyncCommands<String, String> c = commands;
        if (!admitted.shared() || c == null) {
            fallback.settle(admitted, actualTokens, requestId);
            return;
        }
        String p = prefix(admitted.key());
        eval(c, settleSha, SETTLE, new String[]{p + ":t:" + admitted.window(), p + ":inflight"},
                new String[]{Long.toString(actualTokens - admitted.estimatedTokens()),
                        admitted.slot() == null ? "" : admitted.slot()})
                .whenComplete((r, e) -> {
                    if (e != null) {
                        metrics.redisError();
                    }
                });
    }

    private <T> CompletableFuture<T> eval(RedisAsyncCommands<String, String> c, String sha, String script,
                                          String[] keys, String[] args) {
        CompletableFuture<T> out = new CompletableFuture<>();
        c.<T>evalsha(sha, ScriptOutputType.MULTI, keys, args).whenComplete((r, e) -> {
            if (e instanceof RedisNoScriptException || (e != null && String.valueOf(e.getMessage()).startsWith("NOSCRIPT"))) {
                c.<T>eval(script, ScriptOutputType.MULTI, keys, args).whenComplete((r2, e2) -> {
                    if (e2 != null) {
                        out.completeExceptionally(e2);
                    } else {
                        out.complete(r2);
                    }
                });
            } else if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(r);
            }
        });
        return out;
    }

    private CompletableFuture<Decision> failed(ApiKey key, long estimatedTokens, String requestId, String why) {
        metrics.redisError();
        if (!reportedDown) {
            reportedDown = true;
            warnings.accept("Redis does not answer (" + why + "); " + (failOpen
                    ? "limiting on this replica's own counters (--redis-failure open)"
                    : "refusing requests with 503 (--redis-failure closed)"));
        }
        if (failOpen) {
            return fallback.admit(key, estimatedTokens, requestId);
        }
        return CompletableFuture.failedFuture(new Unavailable("the rate limiter's Redis does not answer"));
    }

    private static String prefix(ApiKey key) {
        return "chatbotctl:proxy:{" + key.name() + "}";
    }

    static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public void close() {
        connector.shutdownNow();
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
}
