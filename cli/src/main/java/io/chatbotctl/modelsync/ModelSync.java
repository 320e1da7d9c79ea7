package io.chatbotctl.modelsync;

import io.chatbotctl.core.Poll;
import io.chatbotctl.core.Sleeper;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/** {@code model sync}: makes a local directory equal to an S3 prefix, verified, resumable, and marked complete last. */
public final class ModelSync {
    private final S3Settings settings;

    /**
     * With fsync, unfinished files are flushed this often: the disk then writes while the download runs, and each
     * file's final fsync has little left to do (2 GiB benchmark: 0.1–0.2 s sooner than once a second in one A/B,
     * no difference in a noisier one).
     */
    private static final long DURABLE_FLUSH_MILLIS = 200;
    /**
     * Files fetched at once, their ranges sharing the {@code --concurrency} budget. Writes into one file take turns
     * ({@link PartFile}), so with one file at a time a single core copies into the page cache; with four, both do
     * (2 GiB on 2 cores: 1.75 → 1.54 s, docs/benchmarks.md).
     */
    static final int FILES_IN_FLIGHT = 4;

    public ModelSync(S3Settings settings) {
        this.settings = settings;
    }

    public SyncResult sync(SyncRequest request, Progress progress) throws InterruptedException {
        long started = System.nanoTime();
        ModelDirectory dir = new ModelDirectory(request.destination());
        if (Files.exists(dir.root()) && !Files.isDirectory(dir.root())) {
            throw new InvalidInputException(dir.root() + " exists and is not a directory");
        }
        try (S3Reader reader = new S3Reader(settings, request.concurrency())) {
            RemoteListing listing = new RemoteListing(reader, request.source());
            if (request.dryRun()) {
                Plan plan = plan(request, dir, listing.objects(request.filter()));
                return result(request, plan, List.of(), 0, started, reader.checksumMode());
            }
            // listed before anything is created, so a wrong endpoint, key or bucket leaves the destination untouched
            List<RemoteObject> objects = listing.objects(request.filter());
            createDirectories(dir.meta());
            try (DirectoryLock lock = DirectoryLock.acquire(dir.lockFile(), progress)) {
                Plan plan = plan(request, dir, objects);
                if (plan.downloads().isEmpty() && plan.deletes().isEmpty() && dir.matchingMarker() != null
                        && plan.unchangedManifest()) {
                    return result(request, plan, List.of(), 0, started, reader.checksumMode());
                }
                removeMarker(dir);
                RemoteManifest pushed = plan.downloads().isEmpty() ? null : listing.pushedManifest();
                AtomicLong bytes = new AtomicLong();
                List<RangedDownloader.Done> done = download(reader, request, dir, plan, pushed, bytes, progress);
                delete(dir, plan.deletes());
                Manifest manifest = plan.manifestWith(done);
                dir.writeManifest(manifest);
                dir.writeMarker(manifest);
                return result(request, plan, done, bytes.get(), started, reader.checksumMode());
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + dir.root() + ": " + e.getMessage(), null, e);
        }
    }

    /** {@code model sync --wait-complete DEST}: returns once the marker exists and names the manifest that is there. */
    public WaitResult waitComplete(Path destination, Duration timeout, Progress progress) throws InterruptedException {
        ModelDirectory dir = new ModelDirectory(destination);
        long started = System.nanoTime();
        boolean[] announced = {false};
        return Poll.until(timeout, () -> Duration.ofMillis(250), Sleeper.REAL, last -> {
            ModelDirectory.Marker marker = dir.matchingMarker();
            if (marker != null) {
                return new WaitResult(dir.root().toString(), marker.source(), marker.files(), marker.bytes(),
                        (System.nanoTime() - started) / 1e9);
            }
            if (last) {
                throw new ExternalSystemException("timed out after " + io.chatbotctl.core.Durations.format(timeout)
                        + " waiting for a complete model in " + dir.root(),
                        "check the model-loader's log (model sync s3://... " + dir.root() + ") or raise --timeout");
            }
            if (!announced[0]) {
                progress.log("waiting for " + dir.markerFile() + " (written when model sync has verified every file)");
                announced[0] = true;
            }
            return null;
        });
    }

    /**
     * @param source        where the model came from
     * @param files         files it has
     * @param bytes         their total size
     * @param waitedSeconds how long this command waited
     */
    public record WaitResult(String destination, String source, int files, long bytes, double waitedSeconds) {
    }

    private List<RangedDownloader.Done> download(S3Reader reader, SyncRequest request, ModelDirectory dir, Plan plan,
                                                 RemoteManifest pushed, AtomicLong bytes, Progress progress)
            throws InterruptedException {
        if (plan.downloads().isEmpty()) {
            return List.of();
        }
        ExecutorService verifier = Executors.newFixedThreadPool(2, daemon("modelsync-verify"));
        JournalFlusher journals = new JournalFlusher(request.fsync() ? DURABLE_FLUSH_MILLIS : 1000, request.fsync());
        TransferProgress reporter = new TransferProgress(progress, plan.downloads(), bytes);
        RangedDownloader downloader = new RangedDownloader(reader, request.source(), dir, request.partSizeBytes(),
                request.concurrency(), new Bandwidth(request.maxBandwidthBytesPerSecond()), verifier, journals, bytes,
                request.fsync());
        Map<String, Manifest.Entry> current = new TreeMap<>(plan.keptEntries());
        List<RangedDownloader.Done> done = new ArrayList<>();
        List<CompletableFuture<RangedDownloader.Done>> files = new ArrayList<>();
        BiConsumer<RangedDownloader.Done, Throwable> finished = (d, e) -> {
            if (d != null) {
                synchronized (current) {
                    current.put(d.entry().path(), d.entry());
                    done.add(d);
                    reporter.fileDone();
                    if (reporter.manifestDue()) {
                        dir.writeManifest(new Manifest(Manifest.VERSION, request.source().toString(), List.copyOf(current.values())));
                    }
                }
            }
        };
        Queue<RemoteObject> waiting = new ConcurrentLinkedQueue<>(plan.downloads());
        int starters = Math.min(FILES_IN_FLIGHT, plan.downloads().size());
        ExecutorService starting = Executors.newFixedThreadPool(starters, daemon("modelsync-files"));
        try {
            reporter.start();
            List<Future<Void>> started = new ArrayList<>();
            for (int i = 0; i < starters; i++) {
                // each starter blocks while the concurrency budget is spent, so the files' ranges interleave
                started.add(starting.submit(() -> {
                    RemoteObject object;
                    while (downloader.failure() == null && (object = waiting.poll()) != null) {
                        CompletableFuture<RangedDownloader.Done> file = downloader.start(object, pushed == null ? null : pushed.entry(object.path()));
                        synchronized (files) {
                            files.add(file.whenComplete(finished));
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> starter : started) {
                join(starter);
            }
            for (CompletableFuture<RangedDownloader.Done> file : files) {
                file.handle((d, e) -> null).join();
            }
        } finally {
            starting.shutdownNow();
            reporter.stop();
            // Journals only matter for files still unfinished, i.e. after a failure: then they are saved now.
            journals.close(downloader.failure() != null);
            verifier.shutdown();
        }
        ChatbotctlException failure = downloader.failure();
        if (failure != null) {
            synchronized (current) {
                dir.writeManifest(new Manifest(Manifest.VERSION, request.source().toString(), List.copyOf(current.values())));
            }
            throw failure;
        }
        return done;
    }

    private static void join(Future<Void> starter) throws InterruptedException {
        try {
            starter.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void delete(ModelDirectory dir, List<Path> deletes) throws IOException {
        Set<Path> parents = new HashSet<>();
        for (Path file : deletes) {
            Files.deleteIfExists(file);
            parents.add(file.getParent());
        }
        for (Path parent : parents) {
            for (Path p = parent; p != null && p.startsWith(dir.root()) && !p.equals(dir.root()); p = p.getParent()) {
                try (Stream<Path> children = Files.list(p)) {
                    if (children.findAny().isPresent()) {
                        break;
                    }
                }
                Files.deleteIfExists(p);
            }
        }
    }

    private static Plan plan(SyncRequest request, ModelDirectory dir, List<RemoteObject> objects) {
        Manifest old = dir.readManifest();
        Map<String, Manifest.Entry> oldEntries = new LinkedHashMap<>();
        if (old != null && request.source().toString().equals(old.source())) {
            old.files().forEach(e -> oldEntries.put(e.path(), e));
        }
        // Without a matching marker (a sync was interrupted, or verify --deep found damage) sizes and times are not
        // trusted: files are kept only when their recorded checksum still matches.
        boolean trusted = dir.matchingMarker() != null;
        List<RemoteObject> downloads = new ArrayList<>();
        Map<String, Manifest.Entry> kept = new TreeMap<>();
        List<RemoteObject> skips = new ArrayList<>();
        Set<String> remotePaths = new HashSet<>();
        for (RemoteObject object : objects) {
            remotePaths.add(object.path());
            Manifest.Entry entry = oldEntries.get(object.path());
            Path file = dir.file(object.path());
            if (entry != null && upToDate(entry, object, file, trusted)) {
                kept.put(entry.path(), entry);
                skips.add(object);
            } else {
                downloads.add(object);
            }
        }
        List<Path> deletes = request.delete() ? extraFiles(dir, remotePaths, request.filter()) : List.of();
        boolean unchangedManifest = old != null && kept.size() == oldEntries.size() && kept.size() == old.files().size();
        return new Plan(downloads, skips, kept, deletes, request.source().toString(), unchangedManifest, dir);
    }

    private static boolean upToDate(Manifest.Entry entry, RemoteObject object, Path file, boolean trusted) {
        if (!entry.etag().equals(object.etag()) || entry.sizeBytes() != object.sizeBytes()) {
            return false;
        }
        try {
            boolean same = Files.isRegularFile(file) && Files.size(file) == entry.sizeBytes()
                    && Files.getLastModifiedTime(file).toMillis() == entry.modifiedMillis();
            return same && (trusted || Checksums.ofFile(file, entry.checksumAlgorithm()).equals(entry.checksum()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Local files the filter accepts that S3 no longer has, and leftover {@code .part} files. */
    private static List<Path> extraFiles(ModelDirectory dir, Set<String> remotePaths, KeyFilter filter) {
        if (!Files.isDirectory(dir.root())) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir.root())) {
            return walk.filter(p -> !p.startsWith(dir.meta()) && Files.isRegularFile(p))
                    .filter(p -> {
                        String relative = relative(dir, p);
                        if (relative.endsWith(ModelDirectory.PART_SUFFIX)) {
                            return !remotePaths.contains(relative.substring(0, relative.length() - ModelDirectory.PART_SUFFIX.length()));
                        }
                        return !remotePaths.contains(relative) && filter.accepts(relative);
                    })
                    .sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(ModelDirectory dir, Path file) {
        return dir.root().relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static SyncResult result(SyncRequest request, Plan plan, List<RangedDownloader.Done> done, long bytes, long started,
                                     ChecksumMode checksumMode) {
        List<SyncResult.FileAction> actions = new ArrayList<>();
        Map<String, RangedDownloader.Done> byPath = new LinkedHashMap<>();
        done.forEach(d -> byPath.put(d.entry().path(), d));
        for (RemoteObject object : plan.downloads()) {
            RangedDownloader.Done d = byPath.get(object.path());
            actions.add(new SyncResult.FileAction(object.path(), d != null && d.resumed() ? "resume" : "download",
                    object.sizeBytes(), d == null ? null : d.entry().verifiedBy()));
        }
        for (RemoteObject object : plan.skips()) {
            actions.add(new SyncResult.FileAction(object.path(), "skip", object.sizeBytes(), plan.keptEntries().get(object.path()).verifiedBy()));
        }
        for (Path file : plan.deletes()) {
            long size;
            try {
                size = request.dryRun() ? Files.size(file) : 0;
            } catch (IOException e) {
                size = 0;
            }
            actions.add(new SyncResult.FileAction(relative(plan.dir(), file), "delete", size, null));
        }
        actions.sort(Comparator.comparing(SyncResult.FileAction::path));
        double seconds = (System.nanoTime() - started) / 1e9;
        int resumed = (int) done.stream().filter(RangedDownloader.Done::resumed).count();
        return new SyncResult(request.source().toString(), plan.dir().root().toString(), request.dryRun(),
                request.dryRun() ? plan.downloads().size() : done.size(), resumed, plan.skips().size(), plan.deletes().size(),
                bytes, seconds, seconds > 0 ? bytes / seconds : 0, checksumMode, actions);
    }

    private record Plan(List<RemoteObject> downloads, List<RemoteObject> skips, Map<String, Manifest.Entry> keptEntries,
                        List<Path> deletes, String source, boolean unchangedManifest, ModelDirectory dir) {
        Manifest manifestWith(List<RangedDownloader.Done> done) {
            Map<String, Manifest.Entry> entries = new TreeMap<>(keptEntries);
            done.forEach(d -> entries.put(d.entry().path(), d.entry()));
            return new Manifest(Manifest.VERSION, source, List.copyOf(entries.values()));
        }
    }

    private static void createDirectories(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new InvalidInputException("cannot create " + path + ": " + e.getMessage(), "check the destination's permissions", e);
        }
    }

    private static void removeMarker(ModelDirectory dir) {
        try {
            dir.removeMarker();
        } catch (IOException e) {
            throw new InvalidInputException("cannot remove " + dir.markerFile() + ": " + e.getMessage(), null, e);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
