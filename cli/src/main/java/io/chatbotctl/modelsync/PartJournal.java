package io.chatbotctl.modelsync;

import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which byte ranges of a {@code .part} file are on disk: written after the ranges' bytes were fsynced, so a resumed
 * sync keeps exactly the verified progress. Valid only for the same ETag, size and part size.
 */
final class PartJournal {
    /**
     * @param path           the file's relative path
     * @param etag           the object's ETag the ranges came from (every GET carried If-Match on it)
     * @param sizeBytes      the object's size
     * @param partSizeBytes  the range size
     * @param doneRanges     indices of ranges on disk
     */
    record State(String path, String etag, long sizeBytes, long partSizeBytes, List<Integer> doneRanges) {
    }

    private final Path file;
    private final State identity;
    private final BitSet done = new BitSet();
    private boolean unsaved;

    private PartJournal(Path file, State identity) {
        this.file = file;
        this.identity = identity;
    }

    static Path fileFor(ModelDirectory dir, String relativePath) {
        return dir.journalDir().resolve(ModelDirectory.sha256(relativePath.getBytes(StandardCharsets.UTF_8)).substring(0, 32) + ".json");
    }

    /** The journal of a file; it keeps the recorded ranges only when the {@code .part} file exists and everything else matches. */
    static PartJournal open(Path journalFile, Path partFile, String path, String etag, long size, long partSize) {
        PartJournal journal = new PartJournal(journalFile, new State(path, etag, size, partSize, List.of()));
        try {
            if (Files.isRegularFile(journalFile) && Files.isRegularFile(partFile) && Files.size(partFile) == size) {
                State saved = Json.mapper().readValue(Files.readAllBytes(journalFile), State.class);
                if (etag.equals(saved.etag()) && size == saved.sizeBytes() && partSize == saved.partSizeBytes()
                        && path.equals(saved.path())) {
                    saved.doneRanges().forEach(journal.done::set);
                }
            }
        } catch (IOException | RuntimeException e) {
            journal.done.clear();
        }
        return journal;
    }

    synchronized boolean isDone(int range) {
        return done.get(range);
    }

    synchronized int doneCount() {
        return done.cardinality();
    }

    synchronized void markDone(int range) {
        done.set(range);
        unsaved = true;
    }

    /** True when ranges were marked since the last call: the caller saves them. */
    synchronized boolean takeUnsaved() {
        boolean result = unsaved;
        unsaved = false;
        return result;
    }

    /** Persists the ranges marked so far; call after the part file's bytes were forced to disk. */
    void save() {
        State state;
        synchronized (this) {
            state = new State(identity.path(), identity.etag(), identity.sizeBytes(), identity.partSizeBytes(),
                    done.stream().boxed().collect(Collectors.toList()));
        }
        AtomicFiles.write(file, out -> out.write(ModelDirectory.json(state)));
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale journal is ignored next time: it must match the .part file and the ETag
        }
    }
}
