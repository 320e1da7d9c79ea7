package io.chatbotctl.openai;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One connection of {@link NettyStreamClient}, carrying one request at a time: writes it, reads the response head,
 * feeds a 2xx body to the SSE parser (every read stamped with {@link System#nanoTime()} as it arrives) and collects
 * an error body for its message. The stream succeeds at {@code [DONE]}: at once when the response's end came in the
 * same read, else when that read is done (the connection then drains the rest before it is reused). A read timer
 * fails a request after the read timeout of silence. Runs on its channel's event loop only.
 */
final class StreamExchange extends ChannelInboundHandlerAdapter {
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private final NettyStreamClient client;
    private ChannelHandlerContext ctx;
    private NettyStreamClient.Exchange current;
    private StreamAssembly assembly;
    private SseParser events;
    private int status;
    private String retryAfter;
    private boolean keepAlive;
    private boolean answered;
    private boolean draining;
    private StringBuilder errorBody;
    private long sentNanos;
    private long lastRead;
    private ScheduledFuture<?> timer;
    private byte[] scratch = new byte[4096];

    StreamExchange(NettyStreamClient client) {
        this.client = client;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Writes the request; {@code sentNanos} is when it started (before connecting, when it had to). */
    void begin(NettyStreamClient.Exchange exchange, long sentNanos) {
        current = exchange;
        this.sentNanos = sentNanos;
        assembly = null;
        events = null;
        status = 0;
        retryAfter = null;
        answered = false;
        errorBody = null;
        lastRead = System.nanoTime();
        if (timer == null) {
            timer = ctx.executor().schedule(this::checkTimeout, client.readTimeoutNanos(), TimeUnit.NANOSECONDS);
        }
        ctx.channel().writeAndFlush(exchange.request().bytes(), ctx.channel().voidPromise());
        exchange.listener().onWritten(System.nanoTime());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        lastRead = now;
        try {
            if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
                fail(client.failure(http.decoderResult().cause(), answered), false);
                return;
            }
            if (msg instanceof HttpResponse response) {
                head(response, now);
            }
            if (msg instanceof HttpContent content) {
                if (current != null) {
                    body(content.content(), now);
                }
                if (msg instanceof LastHttpContent) {
                    endOfResponse();
                }
            }
        } catch (RuntimeException e) {
            fail(e, false);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void head(HttpResponse response, long now) {
        if (current == null) {
            return;
        }
        answered = true;
        status = response.status().code();
        retryAfter = response.headers().get("Retry-After");
        keepAlive = HttpUtil.isKeepAlive(response);
        if (status / 100 == 2) {
            current.listener().onOpen(now);
            assembly = new StreamAssembly(client.endpointUrl(), current.listener(), sentNanos);
            events = new SseParser(assembly);
        } else {
            errorBody = new StringBuilder();
        }
    }

    private void body(ByteBuf content, long now) {
        int length = content.readableBytes();
        if (length == 0) {
            return;
        }
        if (events == null) {
            if (errorBody != null && errorBody.length() < MAX_ERROR_BODY_BYTES) {
                errorBody.append(content.toString(StandardCharsets.UTF_8));
            }
            return;
        }
        if (content.hasArray()) {
            events.feed(content.array(), content.arrayOffset() + content.readerIndex(), length, now);
        } else {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            content.getBytes(content.readerIndex(), scratch, 0, length);
            events.feed(scratch, 0, length, now);
        }
    }

    /** The response is complete: the request ends here (unless it already succeeded) and the connection is free. */
    private void endOfResponse() {
        if (current != null) {
            NettyStreamClient.Exchange exchange = current;
            current = null;
            Throwable failure = null;
            StreamResult result = null;
            if (assembly != null) {
                result = assembly.result();
                if (result == null) {
                    failure = assembly.endedWithoutDone();
                }
            } else {
                failure = OpenAiClient.httpError(client.endpointUrl(), status, errorBody == null ? "" : errorBody.toString(), retryAfter);
            }
            free();
            if (result != null) {
                exchange.future().complete(result);
            } else {
                exchange.future().completeExceptionally(failure);
            }
        } else if (draining) {
            draining = false;
            free();
        }
    }

    /** A stream that reached {@code [DONE]} succeeds when the read that brought it is done. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (current != null && assembly != null && assembly.result() != null) {
            NettyStreamClient.Exchange exchange = current;
            current = null;
            draining = true;
            exchange.future().complete(assembly.result());
        }
        ctx.fireChannelReadComplete();
    }

    private void free() {
        assembly = null;
        events = null;
        errorBody = null;
        if (keepAlive && ctx.channel().isActive()) {
            client.release(ctx.channel());
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        draining = false;
        if (current != null) {
            String what = answered ? "stream from " + client.endpointUrl() + " lost: the server closed the connection"
                    : "connection to " + client.endpointUrl() + " lost: closed before an answer";
            fail(new OpenAiException(OpenAiException.Kind.CONNECTION_LOST, 0, what, null), true);
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }

    /** A failed TLS handshake: the request never reached the server. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess() && current != null) {
            fail(client.failure(handshake.cause(), false), false);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (current != null) {
            fail(client.failure(cause, answered), false);
        } else {
            ctx.close();
        }
    }

    private void checkTimeout() {
        if (current == null && !draining) {
            timer = null;
            return;
        }
        long silent = System.nanoTime() - lastRead;
        long timeout = client.readTimeoutNanos();
        if (silent < timeout) {
            timer = ctx.executor().schedule(this::checkTimeout, timeout - silent, TimeUnit.NANOSECONDS);
            return;
        }
        timer = null;
        draining = false;
        if (current != null) {
            fail(new OpenAiException(OpenAiException.Kind.TIMEOUT, 0, "timed out waiting for " + client.endpointUrl()
                    + " (no data for " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms)", null), false);
        } else {
            ctx.close();
        }
    }

    /** Fails the current request; the connection is closed (its state mid-response is unknown). */
    private void fail(Throwable failure, boolean alreadyClosed) {
        NettyStreamClient.Exchange exchange = current;
        current = null;
        assembly = null;
        events = null;
        errorBody = null;
        draining = false;
        if (!alreadyClosed) {
            ctx.close();
        }
        if (exchange != null) {
            exchange.future().completeExceptionally(failure);
        }
    }
}
