package io.chatbotctl.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 to the upstream vLLM with keep-alive connections pooled per event loop: a call runs on the event loop of
 * the client connection it serves, so the two channels never cross threads. A call that fails on a reused connection
 * before any byte of the answer came back (the upstream closed an idle connection) is sent once more on a new one.
 * Requests are written as bytes once per call, in one buffer; answers are read by {@link ResponseParser}, as bytes.
 */
final class Upstream {
    enum Failure { CONNECT, TIMEOUT, CLOSED }

    /** Callbacks of one call, on its event loop. {@code onContent} owns the buffer (release it). */
    interface Listener {
        void onHead(HttpResponse head);

        void onContent(ByteBuf content, boolean last);

        void onError(Failure failure, Throwable cause);

        /** The bytes the upstream had sent so far are handed on: the time to flush what was written. */
        default void onReadComplete() {
        }
    }

    private final String host;
    private final int port;
    final String hostHeader;
    private final long timeoutNanos;
    private final Bootstrap bootstrap;
    private final Map<EventLoop, ArrayDeque<Channel>> idle = new IdentityHashMap<>();

    Upstream(URI uri, Duration timeout, EventLoopGroup group) {
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        this.hostHeader = host + ":" + port;
        this.timeoutNanos = timeout.toNanos();
        group.forEach(e -> idle.put((EventLoop) e, new ArrayDeque<>()));
        this.bootstrap = new Bootstrap().channel(Transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(10_000, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Connection(ch.alloc()));
                    }
                });
    }

    /**
     * Sends {@code method path} on {@code loop} with {@code host}, the given headers (name, value, …), content-length
     * and, with a body, content-type JSON.
     */
    Call send(EventLoop loop, HttpMethod method, String path, byte[] jsonBody, Listener listener, String... headers) {
        Call call = new Call(loop, encode(method, path, jsonBody, headers), listener);
        call.start(true);
        return call;
    }

    /** The request as HTTP/1.1 bytes in one buffer, as Netty's encoder writes them. */
    private ByteBuf encode(HttpMethod method, String path, byte[] body, String... headers) {
        int length = body == null ? 0 : body.length;
        ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(256 + length);
        out.writeCharSequence(method.name(), StandardCharsets.US_ASCII);
        out.writeByte(' ');
        out.writeCharSequence(path, StandardCharsets.UTF_8);
        out.writeCharSequence(" HTTP/1.1\r\n", StandardCharsets.US_ASCII);
        header(out, "host", hostHeader);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            header(out, headers[i], headers[i + 1]);
        }
        header(out, "content-length", Integer.toString(length));
        if (body != null) {
            header(out, "content-type", "application/json");
        }
        out.writeByte('\r').writeByte('\n');
        if (body != null) {
            out.writeBytes(body);
        }
        return out;
    }

    private static void header(ByteBuf out, String name, String value) {
        out.writeCharSequence(name, StandardCharsets.ISO_8859_1);
        out.writeByte(':').writeByte(' ');
        out.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        out.writeByte('\r').writeByte('\n');
    }

    /** One request and its answer. */
    final class Call implements ResponseParser.Receiver {
        private final EventLoop loop;
        /** The request's bytes, released when the call ends; a retry sends them again. */
        private final ByteBuf request;
        private final Listener listener;
        private Channel channel;
        private boolean reused;
        private boolean answered;
        private boolean done;
        private boolean keepAlive = true;
        private long lastActivity;
        private ScheduledFuture<?> timer;

        private Call(EventLoop loop, ByteBuf request, Listener listener) {
            this.loop = loop;
            this.request = request;
            this.listener = listener;
        }

        private void start(boolean mayReuse) {
            ArrayDeque<Channel> pool = idle.get(loop);
            Channel c = null;
            while (mayReuse && pool != null && (c = pool.pollLast()) != null && !c.isActive()) {
                c = null;
            }
            lastActivity = System.nanoTime();
            armTimer(timeoutNanos);
            if (c != null) {
                reused = true;
                attach(c);
                return;
            }
            reused = false;
            ChannelFuture connect = bootstrap.clone(loop).connect(host, port);
            connect.addListener(f -> {
                if (done) {
                    if (f.isSuccess()) {
                        connect.channel().close();
                    }
                    return;
                }
                if (!f.isSuccess()) {
                    fail(Failure.CONNECT, f.cause());
                    return;
                }
                attach(connect.channel());
            });
        }

        private void attach(Channel c) {
            channel = c;
            c.pipeline().get(Connection.class).call = this;
            c.writeAndFlush(request.retainedDuplicate()).addListener(f -> {
                if (!f.isSuccess()) {
                    closed(f.cause());
                } else {
                    lastActivity = System.nanoTime();
                }
            });
        }

        private void armTimer(long delayNanos) {
            timer = loop.schedule(() -> {
                if (done) {
                    return;
                }
                long idleFor = System.nanoTime() - lastActivity;
                if (idleFor >= timeoutNanos) {
                    fail(Failure.TIMEOUT, null);
                } else {
                    armTimer(timeoutNanos - idleFor);
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void head(HttpResponse head) {
            if (done) {
                return;
            }
            lastActivity = System.nanoTime();
            answered = true;
            keepAlive = HttpUtil.isKeepAlive(head);
            listener.onHead(head);
        }

        @Override
        public void content(ByteBuf data, boolean last) {
            if (done) {
                data.release();
                return;
            }
            lastActivity = System.nanoTime();
            if (last) {
                finish();
            }
            listener.onContent(data, last);
        }

        private void readComplete() {
            if (!done) {
                listener.onReadComplete();
            }
        }

        /** The answer is complete: the connection goes back to the pool. */
        private void finish() {
            done = true;
            timer.cancel(false);
            request.release();
            Channel c = channel;
            c.pipeline().get(Connection.class).call = null;
            if (keepAlive && c.isActive()) {
                idle.get(loop).addLast(c);
            } else {
                c.close();
            }
        }

        private void closed(Throwable cause) {
            if (done) {
                return;
            }
            if (reused && !answered) {
                channel.pipeline().get(Connection.class).call = null;
                channel.close();
                start(false);
                return;
            }
            fail(Failure.CLOSED, cause);
        }

        private void fail(Failure failure, Throwable cause) {
            if (done) {
                return;
            }
            done = true;
            timer.cancel(false);
            request.release();
            if (channel != null) {
                channel.pipeline().get(Connection.class).call = null;
                channel.close();
            }
            listener.onError(failure, cause);
        }

        /** The client went away: closing the connection is how an HTTP/1.1 upstream (vLLM) learns to stop. */
        void cancel() {
            if (done) {
                return;
            }
            done = true;
            if (timer != null) {
                timer.cancel(false);
            }
            request.release();
            if (channel != null) {
                channel.pipeline().get(Connection.class).call = null;
                channel.close();
            }
        }

        /** Stops or resumes reading the answer while the client cannot take more bytes. */
        void reading(boolean on) {
            if (channel != null) {
                channel.config().setAutoRead(on);
            }
        }
    }

    /** The handler of one upstream connection; {@code call} is the request it carries, null while idle. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private final ResponseParser parser;
        Call call;

        Connection(io.netty.buffer.ByteBufAllocator alloc) {
            this.parser = new ResponseParser(alloc);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Call c = call;
            if (c == null || !(msg instanceof ByteBuf bytes)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            try {
                parser.read(bytes, c);
            } catch (ResponseParser.MalformedResponseException e) {
                ctx.close();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            Call c = call;
            if (c != null) {
                c.readComplete();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Call c = call;
            if (c != null) {
                parser.closed(c);
            }
            parser.release();
            c = call;
            call = null;
            ArrayDeque<Channel> pool = idle.get(ctx.channel().eventLoop());
            if (pool != null) {
                pool.remove(ctx.channel());
            }
            if (c != null) {
                c.closed(null);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
