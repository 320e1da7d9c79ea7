package io.chatbotctl.modelsync;

import io.chatbotctl.core.Progress;
import io.chatbotctl.core.Sizes;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Once a second: files, bytes, rate and ETA of a transfer, as one progress line. */
final class TransferProgress {
    private static final long MANIFEST_INTERVAL_NANOS = 1_000_000_000L;

    private final Progress progress;
    private final int totalFiles;
    private final long totalBytes;
    private final AtomicLong bytes;
    private final AtomicInteger filesDone = new AtomicInteger();
    private final long started = System.nanoTime();
    private long lastManifestNanos = System.nanoTime();
    private ScheduledExecutorService timer;

    TransferProgress(Progress progress, List<RemoteObject> objects, AtomicLong bytes) {
        this(progress, objects.size(), objects.stream().mapToLong(RemoteObject::sizeBytes).sum(), bytes);
    }

    TransferProgress(Progress progress, int totalFiles, long totalBytes, AtomicLong bytes) {
        this.progress = progress;
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
        this.bytes = bytes;
    }

    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(ModelSync.daemon("modelsync-progress"));
        timer.scheduleAtFixedRate(() -> progress.update(line()), 1, 1, TimeUnit.SECONDS);
    }

    void fileDone() {
        filesDone.incrementAndGet();
    }

    /** True at most once a second: time to save the manifest of the files done so far. */
    synchronized boolean manifestDue() {
        long now = System.nanoTime();
        if (now - lastManifestNanos < MANIFEST_INTERVAL_NANOS) {
            return false;
        }
        lastManifestNanos = now;
        return true;
    }

    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    String line() {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        long done = bytes.get();
        double rate = done / seconds;
        // Bytes are counted per finished range (or file, for uploads): no ETA before the first percent is in.
        String eta = done * 100 >= totalBytes && rate > 0 ? String.format(Locale.ROOT, "%.0fs", (totalBytes - done) / rate) : "?";
        return String.format(Locale.ROOT, "%d/%d files  %s / %s  %s/s  ETA %s", filesDone.get(), totalFiles,
                Sizes.format(done), Sizes.format(totalBytes), Sizes.format((long) rate), eta);
    }
}
