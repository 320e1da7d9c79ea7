package io.chatbotctl.loadtest;

import io.chatbotctl.openai.ChatChunk;
import io.chatbotctl.openai.StreamListener;

import java.util.Arrays;

/** One request's content-chunk times as they arrive: the first (TTFT) and the gaps after it (ITL). */
class RequestTrace implements StreamListener {
    private long first;
    private long last;
    private int contentChunks;
    private long[] gaps = new long[32];
    private int gapCount;
    private long gapSum;

    @Override
    public void onChunk(ChatChunk chunk, long nanos) {
        if (!chunk.hasContent()) {
            return;
        }
        contentChunks++;
        if (first == 0) {
            first = nanos;
        } else {
            if (gapCount == gaps.length) {
                gaps = Arrays.copyOf(gaps, gapCount * 2);
            }
            long gap = nanos - last;
            gaps[gapCount++] = gap;
            gapSum += gap;
        }
        last = nanos;
    }

    long firstContentNanos() {
        return first;
    }

    int contentChunks() {
        return contentChunks;
    }

    long[] gaps() {
        return gaps;
    }

    int gapCount() {
        return gapCount;
    }

    long gapSum() {
        return gapSum;
    }
}
