package io.chatbotctl.sim;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;

/**
 * Server-sent events as vLLM writes them: role chunk, content chunks, finish chunk, usage chunk, {@code [DONE]}.
 * The head and the last chunk go through Netty's HTTP encoder; the chunks in between are framed here and written
 * below the encoder ({@link Simulator#RAW}) as one buffer each, so every token costs one plain {@code write}.
 */
final class StreamSink implements Sink {
    private static final byte[] CRLF = {'\r', '\n'};

    private final Channel channel;
    private final ChannelHandlerContext raw;
    private final boolean keepAlive;
    private final boolean chat;
    private final boolean includeUsage;
    private final String head;
    private ByteBuf pending;
    private boolean roleSent;
    private boolean firstFlushed;

    StreamSink(Channel channel, boolean keepAlive, boolean chat, boolean includeUsage, String id, long created,
               String escapedModel) {
        this.channel = channel;
        this.raw = channel.pipeline().context(Simulator.RAW);
        this.keepAlive = keepAlive;
        this.chat = chat;
        this.includeUsage = includeUsage;
        this.head = "data: {\"id\":\"" + id + "\",\"object\":\"" + (chat ? "chat.completion.chunk" : "text_completion")
                + "\",\"created\":" + created + ",\"model\":\"" + escapedModel + "\",\"choices\":";
    }

    /** The response head, written as soon as the request is accepted (like vLLM's StreamingResponse). */
    void begin() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        channel.writeAndFlush(response);
    }

    @Override
    public void token(String escaped, String finishReason) {
        if (pending == null) {
            pending = channel.alloc().buffer(256);
        }
        if (chat && !roleSent) {
            roleSent = true;
            append(head).append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                    + "\"finish_reason\":null}]}\n\n");
        }
        append(head).append(chat ? "[{\"index\":0,\"delta\":{\"content\":\"" : "[{\"index\":0,\"text\":\"");
        append(escaped);
        append(chat ? "\"},\"logprobs\":null,\"finish_reason\":" : "\",\"logprobs\":null,\"finish_reason\":");
        append(finishReason == null ? "null" : "\"" + finishReason + "\"");
        append(",\"stop_reason\":null}]}\n\n");
    }

    private StreamSink append(String s) {
        pending.writeCharSequence(s, StandardCharsets.UTF_8);
        return this;
    }

    @Override
    public void flush(LongConsumer firstTokenWritten) {
        if (pending == null) {
            return;
        }
        ByteBuf data = pending;
        pending = null;
        ByteBuf chunk = channel.alloc().buffer(data.readableBytes() + 12);
        chunk.writeCharSequence(Integer.toHexString(data.readableBytes()), StandardCharsets.US_ASCII);
        chunk.writeBytes(CRLF).writeBytes(data).writeBytes(CRLF);
        data.release();
        if (!firstFlushed) {
            firstFlushed = true;
            raw.writeAndFlush(chunk).addListener(f -> firstTokenWritten.accept(System.nanoTime()));
        } else {
            raw.writeAndFlush(chunk);
        }
    }

    @Override
    public void finish(int promptTokens, int outputTokens, LongConsumer written) {
        if (pending == null) {
            pending = channel.alloc().buffer(256);
        }
        if (includeUsage) {
            append(head).append("[],\"usage\":").append(Usage.json(promptTokens, outputTokens)).append("}\n\n");
        }
        append("data: [DONE]\n\n");
        ByteBuf buf = pending;
        pending = null;
        var future = channel.writeAndFlush(new DefaultLastHttpContent(buf));
        future.addListener(f -> written.accept(System.nanoTime()));
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
