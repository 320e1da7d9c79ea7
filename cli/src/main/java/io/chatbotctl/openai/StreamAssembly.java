package io.chatbotctl.openai;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One completion stream as its events arrive: each chunk parsed ({@link ChunkParser}) and handed to the listener,
 * the answer assembled, {@code [DONE]} ends it. Both transports ({@link OpenAiClient} and {@link NettyStreamClient})
 * feed it from an {@link SseParser}, so a stream means the same on either. Events after {@code [DONE]} are ignored.
 */
final class StreamAssembly implements SseParser.Handler {
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final String baseUrl;
    private final StreamListener listener;
    private final long startNanos;
    private final StringBuilder text = new StringBuilder();
    private String id;
    private String model;
    private String finish;
    private Usage usage;
    private int chunks;
    private int contentChunks;
    private long firstContent;
    private StreamResult result;

    StreamAssembly(String baseUrl, StreamListener listener, long startNanos) {
        this.baseUrl = baseUrl;
        this.listener = listener;
        this.startNanos = startNanos;
    }

    @Override
    public void onEvent(String type, byte[] data, int length, long nanos) {
        if (result != null) {
            return;
        }
        if (length == DONE.length && Arrays.equals(data, 0, length, DONE, 0, length)) {
            result = new StreamResult(new ChatCompletion(id, model, text.toString(), finish, usage), chunks,
                    contentChunks, startNanos, firstContent, nanos);
            return;
        }
        if ("error".equals(type)) {
            throw new OpenAiException(OpenAiException.Kind.ERROR_EVENT, 0,
                    "error in stream: " + ChunkParser.abbreviate(new String(data, 0, length, StandardCharsets.UTF_8)), null);
        }
        ChatChunk chunk = ChunkParser.chunk(data, 0, length);
        chunks++;
        if (id == null) {
            id = chunk.id();
            model = chunk.model();
        }
        if (chunk.hasContent()) {
            contentChunks++;
            text.append(chunk.content());
            if (firstContent == 0) {
                firstContent = nanos;
            }
        }
        if (chunk.finishReason() != null) {
            finish = chunk.finishReason();
        }
        if (chunk.usage() != null) {
            usage = chunk.usage();
        }
        listener.onChunk(chunk, nanos);
    }

    /** The finished stream, or null until {@code [DONE]} arrived. */
    StreamResult result() {
        return result;
    }

    /** The failure of a stream whose body ended before {@code [DONE]}. */
    OpenAiException endedWithoutDone() {
        return new OpenAiException(OpenAiException.Kind.CONNECTION_LOST, 0,
                "stream from " + baseUrl + " ended after " + chunks + " chunks without [DONE]", null);
    }
}
