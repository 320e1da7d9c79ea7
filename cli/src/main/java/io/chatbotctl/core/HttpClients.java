package io.chatbotctl.core;

import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The process's one OkHttp client (connection pool and dispatcher), sized for thousands of concurrent streams:
 * OkHttp's defaults allow 64 requests at once and 5 per host. Derive per-use clients with {@code newBuilder()},
 * which share the pool and the dispatcher.
 */
public final class HttpClients {
    /** Concurrent calls allowed in all and per host. */
    public static final int MAX_CONCURRENT_CALLS = 20_000;

    private HttpClients() {}

    private static final class Holder {
        static final OkHttpClient CLIENT = build();

        private static OkHttpClient build() {
            Dispatcher dispatcher = new Dispatcher();
            dispatcher.setMaxRequests(MAX_CONCURRENT_CALLS);
            dispatcher.setMaxRequestsPerHost(MAX_CONCURRENT_CALLS);
            return new OkHttpClient.Builder()
                    .dispatcher(dispatcher)
                    .connectionPool(new ConnectionPool(MAX_CONCURRENT_CALLS, 5, TimeUnit.MINUTES))
                    .connectTimeout(Duration.ofSeconds(10))
                    .readTimeout(Duration.ofSeconds(60))
                    .retryOnConnectionFailure(false)
                    .build();
        }
    }

    public static OkHttpClient shared() {
        return Holder.CLIENT;
    }
}
