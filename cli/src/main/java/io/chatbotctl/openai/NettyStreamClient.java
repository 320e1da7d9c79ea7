package io.chatbotctl.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Streams completions without a thread per stream, for load generation: a few Netty event-loop threads carry
 * thousands of streams; keep-alive connections are reused across requests (each event loop keeps its own idle
 * ones); a request's bytes are serialised once ({@link #prepare}) and written as they are; server-sent events are
 * parsed from the bytes as they arrive ({@link SseParser}, {@link StreamAssembly}, the same as {@link OpenAiClient}'s)
 * and every chunk is stamped with {@link System#nanoTime()} when its bytes were read off the socket.
 * <p>
 * Failures are {@link OpenAiException}s of the same kinds as {@link OpenAiClient}'s: CONNECT (nothing listens, TLS
 * failed), HTTP_STATUS with the server's message, TIMEOUT (silence longer than the read timeout, from the send to
 * the first byte and between any two reads), CONNECTION_LOST (closed mid-answer, or the body ended without
 * {@code [DONE]}), MALFORMED_STREAM and ERROR_EVENT. Listener calls and the returned futures' completions run on
 * the event loop: keep them quick.
 */
public final class NettyStreamClient implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final String baseUrl;
    private final String host;
    private final int port;
    private final String pathPrefix;
    private final byte[] fixedHeaders;
    private final long readTimeoutNanos;
    private final SslContext ssl;
    private final EventLoopGroup group;
    private final Map<EventExecutor, Loop> loops = new IdentityHashMap<>();
    private volatile boolean closed;

    /** One event loop's bootstrap and its idle connections (touched only on that loop). */
    private record Loop(EventLoop loop, Bootstrap bootstrap, ArrayDeque<Channel> idle) {}

    /** A request serialised once, written as many times as needed. */
    public static final class Prepared {
        private final ByteBuf bytes;

        private Prepared(ByteBuf bytes) {
            this.bytes = bytes;
        }

        ByteBuf bytes() {
            return bytes.duplicate();
        }
    }

    private NettyStreamClient(String endpoint, String apiKey, Map<String, String> headers, Duration readTimeout,
                              int ioThreads, SslContext sslContext) {
        this.baseUrl = OpenAiClient.baseUrl(endpoint);
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("endpoint '" + endpoint + "' is not an http(s) URL",
                    "write an OpenAI base URL such as http://host:8000/v1");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String uriHost = uri.getHost();
        this.host = uriHost.startsWith("[") ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
        this.port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        this.pathPrefix = uri.getRawPath();
        this.fixedHeaders = fixedHeaders(uriHost + (uri.getPort() > 0 ? ":" + uri.getPort() : ""), apiKey, headers);
        this.readTimeoutNanos = readTimeout.toNanos();
        this.ssl = https ? sslContext != null ? sslContext : defaultSsl() : null;
        this.group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("openai-stream-io", true));
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (ssl != null) {
                                ch.pipeline().addLast(ssl.newHandler(ch.alloc(), host, port));
                            }
                            ch.pipeline().addLast(new HttpResponseDecoder(), new StreamExchange(NettyStreamClient.this));
                        }
                    });
            loops.put(loop, new Loop(loop, bootstrap, new ArrayDeque<>()));
        }
    }

    /**
     * @param endpoint    an OpenAI base URL ({@code http://host:8000/v1}); a URL without {@code /v1} is completed
     * @param apiKey      sent as a bearer token when not null
     * @param headers     further headers sent with every request
     * @param readTimeout longest silence within a response (time to first byte, and between reads)
     * @param ioThreads   event-loop threads
     */
    public static NettyStreamClient create(String endpoint, String apiKey, Map<String, String> headers,
                                           Duration readTimeout, int ioThreads) {
        return new NettyStreamClient(endpoint, apiKey, headers, readTimeout, ioThreads, null);
    }

    /** Like {@link #create} with the given TLS client context for https endpoints (e.g. trusting a private CA). */
    public static NettyStreamClient create(String endpoint, String apiKey, Map<String, String> headers,
                                           Duration readTimeout, int ioThreads, SslContext sslContext) {
        return new NettyStreamClient(endpoint, apiKey, headers, readTimeout, ioThreads, sslContext);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The HTTP request for {@code POST path} (e.g. {@code /chat/completions}) with this JSON body, serialised once. */
    public Prepared prepare(String path, ObjectNode body) {
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the request body", e);
        }
        byte[] line = ("POST " + pathPrefix + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] length = ("Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        // on the heap, so the garbage collector frees it; the transport copies it into a pooled direct buffer per write
        byte[] bytes = new byte[line.length + fixedHeaders.length + length.length + json.length];
        int at = 0;
        for (byte[] part : List.of(line, fixedHeaders, length, json)) {
            System.arraycopy(part, 0, bytes, at, part.length);
            at += part.length;
        }
        return new Prepared(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)));
    }

    /**
     * Sends the request on an idle connection (or a new one) and streams the answer to {@code listener}. Never
     * blocks: the future completes on the event loop with the stream at {@code [DONE]}, or fails with an
     * {@link OpenAiException}.
     */
    public CompletableFuture<StreamResult> stream(Prepared request, StreamListener listener) {
        CompletableFuture<StreamResult> future = new CompletableFuture<>();
        Loop loop = loopForCaller();
        loop.loop().execute(() -> start(loop, new Exchange(request, listener, future)));
        return future;
    }

    private Loop loopForCaller() {
        for (Loop loop : loops.values()) {
            if (loop.loop().inEventLoop()) {
                return loop;
            }
        }
        return loops.get(group.next());
    }

    private void start(Loop loop, Exchange exchange) {
        if (closed) {
            exchange.future().completeExceptionally(new OpenAiException(OpenAiException.Kind.CONNECTION_LOST, 0,
                    "the client of " + baseUrl + " is closed", null));
            return;
        }
        long now = System.nanoTime();
        try {
            exchange.listener().onSend(now);
        } catch (RuntimeException e) {
            exchange.future().completeExceptionally(e);
            return;
        }
        Channel channel;
        while ((channel = loop.idle().pollLast()) != null) {
            if (channel.isActive()) {
                handler(channel).begin(exchange, now);
                return;
            }
        }
        loop.bootstrap().connect(host, port).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                handler(f.channel()).begin(exchange, now);
            } else {
                exchange.future().completeExceptionally(failure(f.cause(), false));
            }
        });
    }

    private static StreamExchange handler(Channel channel) {
        return (StreamExchange) channel.pipeline().last();
    }

    /** Called by a connection whose response ended cleanly and that may carry the next request. */
    void release(Channel channel) {
        Loop loop = loops.get(channel.eventLoop());
        if (closed || loop == null) {
            channel.close();
        } else {
            loop.idle().addLast(channel);
        }
    }

    String endpointUrl() {
        return baseUrl;
    }

    long readTimeoutNanos() {
        return readTimeoutNanos;
    }

    /** A Netty failure as the kind callers count; {@code midStream} when the answer had begun. */
    OpenAiException failure(Throwable cause, boolean midStream) {
        if (cause instanceof OpenAiException o) {
            return o;
        }
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof java.io.IOException)) {
            root = root.getCause();
        }
        if (root instanceof SSLException ssl) {
            return new OpenAiException(OpenAiException.Kind.CONNECT, 0, "TLS with " + baseUrl + " failed: " + ssl.getMessage(), ssl);
        }
        if (root instanceof java.io.IOException io) {
            return OpenAiClient.failure(baseUrl, io, midStream);
        }
        return new OpenAiException(OpenAiException.Kind.CONNECTION_LOST, 0,
                (midStream ? "stream from " : "connection to ") + baseUrl + " lost: " + cause, cause);
    }

    /** Closes every connection and stops the event loops; streams still running fail as CONNECTION_LOST. */
    @Override
    public void close() {
        closed = true;
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static SslContext defaultSsl() {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IllegalStateException("the JDK's TLS client cannot be set up: " + e.getMessage(), e);
        }
    }

    private static byte[] fixedHeaders(String hostHeader, String apiKey, Map<String, String> headers) {
        StringBuilder head = new StringBuilder("Host: ").append(hostHeader).append("\r\n")
                .append("Content-Type: application/json\r\nAccept: text/event-stream\r\n");
        if (apiKey != null) {
            head.append("Authorization: Bearer ").append(checked(apiKey)).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(checked(name)).append(": ").append(checked(value)).append("\r\n"));
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String checked(String headerText) {
        for (int i = 0; i < headerText.length(); i++) {
            char c = headerText.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new InvalidInputException("an HTTP header contains a line break: '" + headerText.strip() + "'",
                        "give header names and values on one line");
            }
        }
        return headerText;
    }

    /** One request on its way: what to send, who listens, and the future to complete. */
    record Exchange(Prepared request, StreamListener listener, CompletableFuture<StreamResult> future) {}
}
