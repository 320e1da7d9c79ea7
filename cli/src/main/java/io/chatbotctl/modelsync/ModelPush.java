package io.chatbotctl.modelsync;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code model push DIR s3://bucket/prefix}: uploads what changed (multipart above the part size, each upload with a
 * CRC64NVME checksum S3 checks), then writes the remote manifest with every file's SHA-256, last.
 */
public final class ModelPush {
    private static final int FILES_IN_FLIGHT = 4;

    private final S3Settings settings;

    public ModelPush(S3Settings settings) {
        this.settings = settings;
    }

    public PushResult push(PushRequest request, Progress progress) throws InterruptedException {
        long started = System.nanoTime();
        Path root = request.source().toAbsolutePath().normalize();
        List<String> paths = localFiles(root, request.filter());
        S3Location destination = request.destination();
        Map<String, RemoteObject> remote = new HashMap<>();
        RemoteManifest pushed;
        try (S3Reader reader = new S3Reader(settings, request.concurrency())) {
            RemoteListing listing = new RemoteListing(reader, destination);
            listing.all().forEach(o -> remote.put(o.path(), o));
            pushed = listing.pushedManifest();
        }
        try (S3AsyncClient client = S3Clients.crt(settings, request.partSizeBytes(), request.concurrency())) {

            long totalBytes = 0;
            List<PushResult.FileAction> actions = new ArrayList<>();
            List<Integer> uploads = new ArrayList<>();
            for (String path : paths) {
                Path file = root.resolve(path);
                long size = Files.size(file);
                List<String> sums = Checksums.ofFile(file, "sha256", "crc64nvme");
                String sha256 = sums.get(0);
                RemoteManifest.Entry entry = pushed == null ? null : pushed.entry(path);
                RemoteObject object = remote.get(path);
                boolean unchanged = entry != null && object != null && entry.sha256().equals(sha256)
                        && entry.sizeBytes() == size && object.sizeBytes() == size && object.etag().equals(entry.etag());
                actions.add(new PushResult.FileAction(path, unchanged ? "skip" : "upload", size, sha256, sums.get(1),
                        unchanged ? object.etag() : null));
                if (!unchanged) {
                    uploads.add(actions.size() - 1);
                    totalBytes += size;
                }
            }

            AtomicLong bytes = new AtomicLong();
            TransferProgress reporter = new TransferProgress(progress, uploads.size(), totalBytes, bytes);
            reporter.start();
            String checksum = "crc64nvme";
            S3AsyncClient plain = null;
            try {
                if (!uploads.isEmpty() && !uploadWithChecksum(client, root, destination, actions, uploads.get(0), bytes, reporter)) {
                    progress.log("warning: " + destination.bucket() + " rejects uploads with a trailing CRC64NVME checksum "
                            + "(S3Proxy does); uploading without one - the remote manifest's SHA-256s still verify every download");
                    checksum = "none";
                    plain = S3Clients.crt(settings, request.partSizeBytes(), request.concurrency(), false);
                    upload(plain, false, root, destination, actions, uploads, bytes, reporter);
                } else {
                    upload(client, true, root, destination, actions, uploads.subList(Math.min(1, uploads.size()), uploads.size()), bytes, reporter);
                }
                List<RemoteManifest.Entry> entries = actions.stream()
                        .map(a -> new RemoteManifest.Entry(a.path(), a.sizeBytes(), a.etag(), a.sha256(), a.crc64nvme())).toList();
                if (pushed == null || !pushed.files().equals(entries)) {
                    if (plain == null) {
                        plain = S3Clients.crt(settings, request.partSizeBytes(), request.concurrency(), false);
                    }
                    putManifest(plain, destination, new RemoteManifest(1, entries));
                }
            } finally {
                reporter.stop();
                if (plain != null) {
                    plain.close();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new PushResult(root.toString(), destination.toString(), uploads.size(), paths.size() - uploads.size(),
                    bytes.get(), seconds, seconds > 0 ? bytes.get() / seconds : 0, checksum, actions);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + root + ": " + e.getMessage(), null, e);
        }
    }

    /** The manifest is small: it goes with a Content-MD5 header, which every S3-compatible store checks. */
    private static void putManifest(S3AsyncClient client, S3Location destination, RemoteManifest remoteManifest) {
        byte[] manifest = ModelDirectory.json(remoteManifest);
        try {
            String md5 = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(manifest));
            client.putObject(PutObjectRequest.builder().bucket(destination.bucket()).key(destination.key(RemoteManifest.NAME))
                    .contentType("application/json").contentMD5(md5).build(), AsyncRequestBody.fromBytes(manifest)).join();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            throw S3Errors.translate(e, destination + RemoteManifest.NAME);
        }
    }

    /** Uploads one file with a CRC64NVME checksum; false when the store rejects such uploads (not when anything else fails). */
    private static boolean uploadWithChecksum(S3AsyncClient client, Path root, S3Location destination,
                                              List<PushResult.FileAction> actions, int index, AtomicLong bytes,
                                              TransferProgress reporter) throws InterruptedException {
        try {
            upload(client, true, root, destination, actions, List.of(index), bytes, reporter);
            return true;
        } catch (io.chatbotctl.core.ExternalSystemException e) {
            if (S3Errors.unwrap(e.getCause()) instanceof software.amazon.awssdk.services.s3.model.S3Exception s3
                    && s3.awsErrorDetails() != null && CHECKSUM_REJECTIONS.contains(s3.awsErrorDetails().errorCode())) {
                return false;
            }
            throw e;
        }
    }

    private static final java.util.Set<String> CHECKSUM_REJECTIONS =
            java.util.Set.of("XAmzContentSHA256Mismatch", "NotImplemented", "InvalidRequest", "InvalidArgument");

    private static void upload(S3AsyncClient client, boolean checksum, Path root, S3Location destination, List<PushResult.FileAction> actions,
                               List<Integer> uploads, AtomicLong bytes, TransferProgress reporter) throws InterruptedException {
        Semaphore files = new Semaphore(FILES_IN_FLIGHT);
        List<CompletableFuture<PutObjectResponse>> pending = new ArrayList<>();
        for (int index : uploads) {
            PushResult.FileAction action = actions.get(index);
            files.acquire();
            PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(destination.bucket()).key(destination.key(action.path()));
            if (checksum) {
                request.checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME);
            }
            CompletableFuture<PutObjectResponse> put = client.putObject(request.build(), root.resolve(action.path()));
            pending.add(put.whenComplete((response, error) -> {
                files.release();
                if (error == null) {
                    bytes.addAndGet(action.sizeBytes());
                    reporter.fileDone();
                    synchronized (actions) {
                        actions.set(index, new PushResult.FileAction(action.path(), action.action(), action.sizeBytes(),
                                action.sha256(), action.crc64nvme(), RemoteObject.unquote(response.eTag())));
                    }
                }
            }));
        }
        for (int i = 0; i < pending.size(); i++) {
            try {
                pending.get(i).join();
            } catch (RuntimeException e) {
                pending.forEach(p -> p.cancel(true));
                throw S3Errors.translate(e, destination + actions.get(uploads.get(i)).path());
            }
        }
    }

    /** Regular files under root (not .chatbotctl/, not .part files) that the filter accepts, sorted. */
    static List<String> localFiles(Path root, KeyFilter filter) {
        if (!Files.isDirectory(root)) {
            throw new InvalidInputException(root + " is not a directory", "pass the model directory to push");
        }
        ModelDirectory dir = new ModelDirectory(root);
        try (Stream<Path> walk = Files.walk(root)) {
            List<String> paths = walk.filter(p -> !p.startsWith(dir.meta()) && Files.isRegularFile(p))
                    .map(p -> ModelSync.relative(dir, p))
                    .filter(p -> !p.endsWith(ModelDirectory.PART_SUFFIX) && filter.accepts(p))
                    .sorted().toList();
            if (paths.isEmpty()) {
                throw new InvalidInputException("no files to push in " + root, "check the directory and --include/--exclude");
            }
            return paths;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + root + ": " + e.getMessage(), null, e);
        }
    }
}
