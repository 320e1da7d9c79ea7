package io.chatbotctl.modelsync;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Checksum;

/**
 * Downloads objects by byte ranges, in parallel within a file and across files, straight into {@code name.part}
 * (each range streamed to its offset), with {@code If-Match} on the ETag; then verifies, fsyncs and renames.
 */
final class RangedDownloader {
    private final S3Reader reader;
    private final S3Location source;
    private final ModelDirectory dir;
    private final long partSize;
    private final Semaphore slots;
    private final Bandwidth bandwidth;
    private final ExecutorService verifier;
    private final JournalFlusher journals;
    private final AtomicLong bytesDone;
    private final boolean fsync;
    private final AtomicReference<ChatbotctlException> failure = new AtomicReference<>();

    RangedDownloader(S3Reader reader, S3Location source, ModelDirectory dir, long partSize, int concurrency,
                     Bandwidth bandwidth, ExecutorService verifier, JournalFlusher journals, AtomicLong bytesDone,
                     boolean fsync) {
        this.fsync = fsync;
        this.reader = reader;
        this.source = source;
        this.dir = dir;
        this.partSize = partSize;
        this.slots = new Semaphore(concurrency);
        this.bandwidth = bandwidth;
        this.verifier = verifier;
        this.journals = journals;
        this.bytesDone = bytesDone;
    }

    /** The outcome of one file: its manifest entry and whether it continued earlier progress. */
    record Done(Manifest.Entry entry, boolean resumed) {
    }

    ChatbotctlException failure() {
        return failure.get();
    }

    /**
     * Starts the file's ranged GETs; blocks only while the concurrency budget is spent. Returns when all its
     * ranges are scheduled; the future completes once the file is verified and in place.
     */
    CompletableFuture<Done> start(RemoteObject object, RemoteManifest.Entry pushed) throws InterruptedException {
        String uri = "s3://" + source.bucket() + "/" + object.key();
        if (failure.get() != null) {
            return CompletableFuture.failedFuture(failure.get());
        }
        S3Reader.Head head;
        try {
            head = reader.head(source.bucket(), object.key());
        } catch (ChatbotctlException e) {
            return fail(e);
        }
        String etag = head.etag();
        long size = head.sizeBytes();
        Verification verification = Verification.choose(head, pushed);

        Path target = dir.file(object.path());
        Path part = dir.partFile(target);
        PartJournal journal;
        PartFile writer;
        try {
            Files.createDirectories(target.getParent());
            journal = PartJournal.open(PartJournal.fileFor(dir, object.path()), part, object.path(), etag, size, partSize);
            if (journal.doneCount() == 0) {
                try (RandomAccessFile file = new RandomAccessFile(part.toFile(), "rw")) {
                    file.setLength(0);
                    file.setLength(size);
                }
            }
            writer = PartFile.open(part);
        } catch (IOException e) {
            return fail(cannotWrite(part, e));
        }
        boolean resumed = journal.doneCount() > 0;
        journals.register(journal, part);
        int ranges = (int) ((size + partSize - 1) / partSize);
        // Ranges are checksummed as they arrive when the algorithm allows; earlier progress is read back instead.
        long[] rangeChecksums = !resumed && size > 0 && Checksums.streaming(verification.algorithm()) != null ? new long[ranges] : null;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < ranges; i++) {
            if (journal.isDone(i)) {
                continue;
            }
            long start = i * partSize;
            long length = Math.min(partSize, size - start);
            slots.acquire();
            if (failure.get() != null) {
                slots.release();
                break;
            }
            bandwidth.acquire(length);
            int range = i;
            Checksum checksum = rangeChecksums == null ? null : Checksums.streaming(verification.algorithm());
            CompletableFuture<Void> get;
            try {
                get = reader.getRangeToFile(source.bucket(), object.key(), start, start + length - 1, etag, writer, checksum);
            } catch (RuntimeException e) {
                slots.release();
                failure.compareAndSet(null, S3Errors.translate(e, uri));
                break;
            }
            pending.add(get.whenComplete((response, error) -> {
                slots.release();
                if (error != null) {
                    failure.compareAndSet(null, S3Errors.translate(error, uri));
                    return;
                }
                if (checksum != null) {
                    rangeChecksums[range] = checksum.getValue();
                }
                bytesDone.addAndGet(length);
                journal.markDone(range);
                journals.rangeDone();
            }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .handle((ok, error) -> null)
                .thenApplyAsync(ignored -> finish(object, uri, etag, size, verification, rangeChecksums, target, writer, journal, resumed),
                        verifier);
    }

    private Done finish(RemoteObject object, String uri, String etag, long size, Verification verification,
                        long[] rangeChecksums, Path target, PartFile writer, PartJournal journal, boolean resumed) {
        Path part = writer.path();
        try {
            writer.close();
        } catch (IOException e) {
            failure.compareAndSet(null, cannotWrite(part, e));
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        journals.forget(journal);
        try {
            if (Files.size(part) != size) {
                throw new ExternalSystemException(uri + " arrived with " + Files.size(part) + " bytes instead of " + size, "run the sync again");
            }
            String actual = rangeChecksums != null ? joined(verification.algorithm(), rangeChecksums, size)
                    : Checksums.ofFile(part, verification.algorithm());
            if (verification.expectedHex() != null && !verification.expectedHex().equals(actual)) {
                Files.deleteIfExists(part);
                journal.delete();
                throw new ExternalSystemException("downloaded " + uri + " does not match its " + verification.method().label()
                        + " (expected " + verification.expectedHex() + ", got " + actual + ")",
                        "the object may have changed during the download; run the sync again");
            }
            if (fsync) {
                try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (fsync) {
                forceDirectory(target.getParent());
            }
            journal.delete();
            Manifest.Entry entry = new Manifest.Entry(object.path(), object.key(), size, etag, verification.algorithm(), actual,
                    verification.method().label(), Files.getLastModifiedTime(target).toMillis());
            return new Done(entry, resumed);
        } catch (ChatbotctlException e) {
            failure.compareAndSet(null, e);
            throw e;
        } catch (IOException e) {
            ChatbotctlException translated = cannotWrite(target, e);
            failure.compareAndSet(null, translated);
            throw translated;
        }
    }

    private String joined(String algorithm, long[] rangeChecksums, long size) {
        CrcCombine combiner = Checksums.combiner(algorithm);
        long whole = rangeChecksums[0];
        for (int i = 1; i < rangeChecksums.length; i++) {
            whole = combiner.combine(whole, rangeChecksums[i], Math.min(partSize, size - i * partSize));
        }
        return Checksums.hex(algorithm, whole);
    }

    private static ChatbotctlException cannotWrite(Path file, IOException e) {
        return new InvalidInputException("cannot write " + file + ": " + e.getMessage(),
                "check free space and permissions of the destination", e);
    }

    private CompletableFuture<Done> fail(ChatbotctlException e) {
        failure.compareAndSet(null, e);
        return CompletableFuture.failedFuture(e);
    }

    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened; the rename itself is atomic
        }
    }
}
