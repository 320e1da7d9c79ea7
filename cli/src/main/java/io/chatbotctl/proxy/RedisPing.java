package io.chatbotctl.proxy;

import io.chatbotctl.core.ExternalSystemException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;

/**
 * {@code doctor}'s probe of the Redis the proxy shares its limits through: connect (TCP, TLS for {@code rediss://},
 * AUTH when the URL has credentials) and {@code PING}, with the same client library the proxy uses.
 */
public final class RedisPing {
    private RedisPing() {}

    /** The round trip of the PING; exit-4 exception when Redis cannot be reached or does not answer PONG. */
    public static Duration ping(String url, Duration timeout) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new io.chatbotctl.core.InvalidInputException("Redis URL '" + url + "' is not valid: " + e.getMessage());
        }
        uri.setTimeout(timeout);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().autoReconnect(false)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build()).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            long start = System.nanoTime();
            String reply = connection.sync().ping();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (!"PONG".equals(reply)) {
                throw new ExternalSystemException("Redis " + uri.getHost() + ":" + uri.getPort() + " answered PING with " + reply,
                        "check that the URL names a Redis server");
            }
            return took;
        } catch (io.lettuce.core.RedisException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ExternalSystemException("cannot reach Redis " + uri.getHost() + ":" + uri.getPort() + ": "
                    + cause.getMessage(), "Redis must be reachable from where chatbotctl runs (ElastiCache: inside the VPC)", e);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
