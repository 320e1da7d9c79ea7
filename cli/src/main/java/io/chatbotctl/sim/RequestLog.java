package io.chatbotctl.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** The latest per-request records, bounded; appended from the event loops without locks. */
final class RequestLog {
    private final ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int limit;

    RequestLog(int limit) {
        this.limit = limit;
    }

    boolean enabled() {
        return limit > 0;
    }

    void add(RequestRecord record) {
        if (limit <= 0) {
            return;
        }
        records.add(record);
        if (size.incrementAndGet() > limit && records.poll() != null) {
            size.decrementAndGet();
        }
    }

    List<RequestRecord> snapshot() {
        return new ArrayList<>(records);
    }

    void clear() {
        RequestRecord r;
        while ((r = records.poll()) != null) {
            size.decrementAndGet();
        }
    }
}
