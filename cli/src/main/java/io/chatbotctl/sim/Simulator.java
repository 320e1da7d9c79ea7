package io.chatbotctl.sim;

import io.chatbotctl.core.ExternalSystemException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running vLLM-compatible simulator. Start one or several in-process:
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).build())) {
 *     String endpoint = sim.baseUrl(); // http://127.0.0.1:PORT/v1
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    /** The pipeline's first handler: writes through its context skip the HTTP encoder (see {@link StreamSink}). */
    static final String RAW = "raw";

    private final SimContext context;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;
    private final String host;
    private final int port;
    private final CountDownLatch closed = new CountDownLatch(1);

    private Simulator(SimContext context, EventLoopGroup boss, EventLoopGroup workers, Channel server) {
        this.context = context;
        this.boss = boss;
        this.workers = workers;
        this.server = server;
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        this.host = address.getAddress().getHostAddress();
        this.port = address.getPort();
    }

    /** Binds and starts serving; throws {@link ExternalSystemException} when the address cannot be bound. */
    public static Simulator start(SimConfig config) {
        ResponseRules rules = config.responses() == null ? ResponseRules.builtIn() : ResponseRules.load(config.responses());
        SimContext context = new SimContext(config, rules);
        warmUp(config);
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("sim-accept", true));
        EventLoopGroup workers = new NioEventLoopGroup(0, new DefaultThreadFactory("sim-io", true));
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(RAW, RawWrites.INSTANCE)
                                    .addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES),
                                            new SimHttpHandler(context));
                        }
                    })
                    .bind(config.host(), config.port()).syncUninterruptibly().channel();
            return new Simulator(context, boss, workers, server);
        } catch (Exception e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new ExternalSystemException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), "choose another --port (0 picks a free one) or stop what uses it");
        }
    }

    /** Loads and initialises what the first request needs (Jackson, the parser), so its latency is not the JVM's. */
    private static void warmUp(SimConfig config) {
        byte[] sample = "{\"messages\":[{\"role\":\"user\",\"content\":\"warm up\"}],\"max_tokens\":1}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CompletionRequest.parse(true, sample, SimConfig.builder().model(config.model()).build());
        Tokenizer.encodeChat(java.util.List.of(new ChatMessage("user", "warm up")));
    }

    /** The OpenAI base URL, e.g. {@code http://127.0.0.1:8000/v1}. */
    public String baseUrl() {
        return "http://" + hostForUrl() + ":" + port + "/v1";
    }

    /** The Prometheus scrape URL. */
    public String metricsUrl() {
        return "http://" + hostForUrl() + ":" + port + "/metrics";
    }

    /** {@code host:port}, as a Prometheus target. */
    public String target() {
        return hostForUrl() + ":" + port;
    }

    public int port() {
        return port;
    }

    public SimConfig config() {
        return context.config;
    }

    /** The latest per-request records (up to {@code requestLogLimit}), oldest first. */
    public List<RequestRecord> requestLog() {
        return context.requestLog.snapshot();
    }

    public void clearRequestLog() {
        context.requestLog.clear();
    }

    /** The current {@code /metrics} text. */
    public String metricsText() {
        return context.metrics.render();
    }

    public int runningRequests() {
        return context.engine.running();
    }

    public int waitingRequests() {
        return context.engine.waiting();
    }

    /** Blocks until {@link #close()} (e.g. from a shutdown hook). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        try {
            server.close().syncUninterruptibly();
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        } finally {
            closed.countDown();
        }
    }

    /** Does nothing: marks the position below the HTTP codec for raw writes. */
    @ChannelHandler.Sharable
    static final class RawWrites extends ChannelHandlerAdapter {
        static final RawWrites INSTANCE = new RawWrites();
    }

    private String hostForUrl() {
        String h = context.config.host();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        }
        return h.contains(":") ? "[" + h + "]" : h;
    }
}
