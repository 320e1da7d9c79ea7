package io.chatbotctl.sim;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;

/** A non-streamed answer: one {@code chat.completion} or {@code text_completion} body when the last token is out. */
final class FullSink implements Sink {
    private final Channel channel;
    private final boolean keepAlive;
    private final boolean chat;
    private final String id;
    private final long created;
    private final String escapedModel;
    private final StringBuilder text = new StringBuilder();
    private String finishReason;

    FullSink(Channel channel, boolean keepAlive, boolean chat, String id, long created, String escapedModel) {
        this.channel = channel;
        this.keepAlive = keepAlive;
        this.chat = chat;
        this.id = id;
        this.created = created;
        this.escapedModel = escapedModel;
    }

    @Override
    public void token(String escaped, String finishReason) {
        text.append(escaped);
        if (finishReason != null) {
            this.finishReason = finishReason;
        }
    }

    @Override
    public void flush(LongConsumer firstTokenWritten) {
        // nothing is sent before the end
    }

    @Override
    public void finish(int promptTokens, int outputTokens, LongConsumer written) {
        StringBuilder body = new StringBuilder(text.length() + 400);
        body.append("{\"id\":\"").append(id).append("\",\"object\":\"").append(chat ? "chat.completion" : "text_completion")
                .append("\",\"created\":").append(created).append(",\"model\":\"").append(escapedModel)
                .append("\",\"choices\":[{\"index\":0,");
        if (chat) {
            body.append("\"message\":{\"role\":\"assistant\",\"content\":\"").append(text)
                    .append("\",\"tool_calls\":[]},");
        } else {
            body.append("\"text\":\"").append(text).append("\",");
        }
        body.append("\"logprobs\":null,\"finish_reason\":\"").append(finishReason).append("\",\"stop_reason\":null}],")
                .append("\"usage\":").append(Usage.json(promptTokens, outputTokens)).append(",\"prompt_logprobs\":null}");
        ByteBuf buf = channel.alloc().buffer(body.length() * 2);
        buf.writeCharSequence(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, buf);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var future = channel.writeAndFlush(response);
        future.addListener(f -> written.accept(System.nanoTime()));
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
