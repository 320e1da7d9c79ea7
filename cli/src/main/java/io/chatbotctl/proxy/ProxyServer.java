package io.chatbotctl.proxy;

import io.chatbotctl.core.ExternalSystemException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running {@code chatbotctl proxy}: the OpenAI-compatible front door on the listen address and Prometheus metrics
 * (its own, then the upstream's) on the metrics address.
 * <pre>{@code
 * try (ProxyServer proxy = ProxyServer.start(options, System.out::println, System.err::println)) {
 *     proxy.baseUrl(); // http://127.0.0.1:PORT/v1
 * }
 * }</pre>
 */
public final class ProxyServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final Channel metricsListener;
    private final ProxyContext context;
    private final CountDownLatch closed = new CountDownLatch(1);

    private ProxyServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener, Channel metricsListener,
                        ProxyContext context) {
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
        this.metricsListener = metricsListener;
        this.context = context;
    }

    /**
     * @param accessLog one JSON line per request (an {@link AccessLogWriter} formats them on its own thread)
     * @param warnings  operational messages (keys reloaded, Redis down and back)
     */
    public static ProxyServer start(ProxyOptions options, Consumer<String> accessLog, Consumer<String> warnings) {
        KeyRing keys = new KeyRing(options.keysFile(), options.keysPollInterval(), warnings);
        ProxyMetrics metrics = new ProxyMetrics();
        metrics.keys(keys::size);
        Limiter limiter = options.redisUrl() == null ? new LocalLimiter()
                : new RedisLimiter(options.redisUrl(), new LocalLimiter(),
                options.redisFailure() == ProxyOptions.RedisFailure.OPEN, metrics, warnings);
        EventLoopGroup boss = Transport.group(1, "proxy-accept");
        // one event loop per core (Netty's default is two): a request's work is all on one loop, and more loops than
        // cores only add thread switches
        EventLoopGroup workers = Transport.group(Runtime.getRuntime().availableProcessors(), "proxy-io");
        Upstream upstream = new Upstream(options.upstream(), options.upstreamTimeout(), workers);
        Consumer<AccessRecord> records = accessLog instanceof AccessLogWriter writer ? writer::accept
                : r -> accessLog.accept(r.json());
        ProxyContext context = new ProxyContext(options, keys, limiter, new RequestPolicy(options), upstream, metrics,
                records);
        Channel listen = null;
        try {
            listen = bind(boss, workers, options.listenHost(), options.listenPort(), "--listen", new ChannelInitializer<>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ProxyHandler handler = new ProxyHandler(context);
                    ch.pipeline().addLast(new HttpServerCodec(4096, 16384, 65536),
                            new BoundedAggregator((int) options.maxBodyBytes(), handler), handler);
                }
            });
            Channel metricsListen = bind(boss, workers, options.metricsHost(), options.metricsPort(), "--metrics-listen",
                    new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                    new MetricsHandler(context));
                        }
                    });
            return new ProxyServer(boss, workers, listen, metricsListen, context);
        } catch (RuntimeException e) {
            if (listen != null) {
                listen.close();
            }
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            limiter.close();
            keys.close();
            throw e;
        }
    }

    private static Channel bind(EventLoopGroup boss, EventLoopGroup workers, String host, int port, String option,
                                ChannelInitializer<SocketChannel> init) {
        try {
            return new ServerBootstrap().group(boss, workers).channel(Transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(init)
                    .bind(host, port).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new ExternalSystemException("cannot listen on " + host + ":" + port + ": " + e.getMessage(),
                    "choose another " + option + " (port 0 picks a free one) or stop what uses it");
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public int metricsPort() {
        return ((InetSocketAddress) metricsListener.localAddress()).getPort();
    }

    /** The OpenAI base URL clients use, e.g. {@code http://127.0.0.1:8080/v1}. */
    public String baseUrl() {
        return "http://" + urlHost(context.options().listenHost()) + ":" + port() + "/v1";
    }

    public String metricsUrl() {
        return "http://" + urlHost(context.options().metricsHost()) + ":" + metricsPort() + "/metrics";
    }

    /** Upstream requests cancelled because their client went away. */
    public long cancelledUpstreamRequests() {
        return context.metrics().cancelledCount();
    }

    /** What the proxy prints once it listens. */
    public ProxyListening listening() {
        ProxyOptions o = context.options();
        return new ProxyListening(baseUrl(), metricsUrl(), o.upstream().toString(), o.keysFile().toString(),
                context.keys().size(), o.redisUrl() == null ? "local" : "redis " + RedisLimiter.redact(o.redisUrl())
                + " (failure: " + o.redisFailure().name().toLowerCase() + ")", o.servedModel());
    }

    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        try {
            listener.close().syncUninterruptibly();
            metricsListener.close().syncUninterruptibly();
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            context.limiter().close();
            context.keys().close();
        } finally {
            closed.countDown();
        }
    }

    private static String urlHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Bodies over {@code --max-body} are answered 413 in OpenAI's shape (and logged) instead of Netty's bare 413. */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        private final ProxyHandler handler;

        BoundedAggregator(int maxContentLength, ProxyHandler handler) {
            super(maxContentLength, true);
            this.handler = handler;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            if (oversized instanceof HttpRequest request) {
                handler.tooLarge(request);
            } else {
                ctx.close();
            }
        }
    }

    /** The metrics port: the proxy's series, then the upstream vLLM's (which listens on loopback only). */
    private static final class MetricsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ProxyContext context;

        MetricsHandler(ProxyContext context) {
            this.context = context;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String path = request.uri().split("\\?", 2)[0];
            if (!path.equals("/metrics")) {
                send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "not found: the metrics are at /metrics\n");
                return;
            }
            String own = context.metrics().render();
            StringBuilder upstreamText = new StringBuilder();
            context.upstream().send(ctx.channel().eventLoop(), HttpMethod.GET, "/metrics", null, new Upstream.Listener() {
                int status;

                @Override
                public void onHead(HttpResponse head) {
                    status = head.status().code();
                }

                @Override
                public void onContent(ByteBuf content, boolean last) {
                    upstreamText.append(content.toString(StandardCharsets.UTF_8));
                    content.release();
                    if (last) {
                        send(ctx, keepAlive, HttpResponseStatus.OK, status == 200 ? own + upstreamText
                                : own + "# upstream /metrics answered " + status + "\n");
                    }
                }

                @Override
                public void onError(Upstream.Failure failure, Throwable cause) {
                    send(ctx, keepAlive, HttpResponseStatus.OK, own + "# upstream /metrics unavailable: "
                            + failure.name().toLowerCase() + "\n");
                }
            });
        }

        private static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String text) {
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            if (keepAlive) {
                ctx.writeAndFlush(out);
            } else {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
