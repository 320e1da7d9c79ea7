package io.chatbotctl.modelsync;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one ranged GET's body at its offset through a {@link FileChannel} shared by all ranges of the file
 * (positional writes need no lock), synchronously on the thread that delivers each buffer: no per-range file
 * open and no hand-off to an asynchronous-file-channel pool, as the SDK's file transformer does.
 */
final class PositionalFileWriter implements AsyncResponseTransformer<GetObjectResponse, GetObjectResponse> {
    private final FileChannel channel;
    private final long start;
    private final long length;
    private CompletableFuture<GetObjectResponse> result;
    private GetObjectResponse response;

    PositionalFileWriter(FileChannel channel, long start, long length) {
        this.channel = channel;
        this.start = start;
        this.length = length;
    }

    @Override
    public CompletableFuture<GetObjectResponse> prepare() {
        result = new CompletableFuture<>();
        return result;
    }

    @Override
    public void onResponse(GetObjectResponse response) {
        this.response = response;
    }

    @Override
    public void onStream(SdkPublisher<ByteBuffer> publisher) {
        publisher.subscribe(new Subscriber<ByteBuffer>() {
            private Subscription subscription;
            private long position = start;

            @Override
            public void onSubscribe(Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                try {
                    while (buffer.hasRemaining()) {
                        position += channel.write(buffer, position);
                    }
                    if (position - start > length) {
                        throw new IOException("the server sent more than the " + length + " bytes asked for");
                    }
                    subscription.request(1);
                } catch (IOException e) {
                    subscription.cancel();
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                if (position - start != length) {
                    result.completeExceptionally(new IOException("range at " + start + " ended after " + (position - start)
                            + " of " + length + " bytes"));
                } else {
                    result.complete(response);
                }
            }
        });
    }

    @Override
    public void exceptionOccurred(Throwable error) {
        if (result != null) {
            result.completeExceptionally(error);
        }
    }
}
