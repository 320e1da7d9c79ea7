package io.chatbotctl.modelsync;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Saves the journals of unfinished {@code .part} files at most once per interval: for each file with newly finished
 * ranges, one {@code fdatasync} of its bytes, then its journal. Saving after every range cost a disk flush per range
 * (and the stalls that come with them); a crash now loses at most one interval of progress, which a resume fetches
 * again.
 */
final class JournalFlusher implements AutoCloseable {
    private final Map<PartJournal, Path> open = new LinkedHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(ModelSync.daemon("modelsync-journal"));
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final long intervalMillis;
    private final boolean fsync;

    JournalFlusher(long intervalMillis, boolean fsync) {
        this.intervalMillis = intervalMillis;
        this.fsync = fsync;
    }

    synchronized void register(PartJournal journal, Path part) {
        open.put(journal, part);
    }

    /** The file is finished (or abandoned): its journal is no longer saved, not even by a flush running now. */
    synchronized void forget(PartJournal journal) {
        open.remove(journal);
    }

    /** A range of some file is on disk: a flush happens within the interval. */
    void rangeDone() {
        if (scheduled.compareAndSet(false, true)) {
            thread.schedule(this::flush, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void flush() {
        scheduled.set(false);
        open.forEach((journal, part) -> {
            if (!journal.takeUnsaved()) {
                return;
            }
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                if (fsync) {
                    channel.force(false);
                }
                journal.save();
            } catch (IOException | RuntimeException e) {
                // a journal only saves work for a resume; a missing entry means the range is fetched again
            }
        });
    }

    /** Stops the timer; after a failure ({@code saveNow}) what finished so far is saved before the command ends. */
    void close(boolean saveNow) {
        thread.shutdownNow();
        if (saveNow) {
            flush();
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
