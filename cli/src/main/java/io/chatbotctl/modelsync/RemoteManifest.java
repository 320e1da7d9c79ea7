package io.chatbotctl.modelsync;

import java.util.List;

/**
 * {@code .chatbotctl-manifest.json} under a pushed prefix: the SHA-256 and CRC64NVME of every file {@code model push} uploaded,
 * so {@code model sync} can verify multipart objects by checksum on any S3-compatible store.
 *
 * @param version the format version (1)
 * @param files   one entry per object, sorted by path
 */
public record RemoteManifest(int version, List<Entry> files) {
    public static final String NAME = ".chatbotctl-manifest.json";

    public RemoteManifest {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** The entry of a path, or null. */
    public Entry entry(String path) {
        return files.stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
    }

    /**
     * @param path      the path relative to the prefix
     * @param sizeBytes the object's size
     * @param etag      the ETag S3 gave the upload (without quotes); an entry applies only while it still matches
     * @param sha256    the content's SHA-256 in lowercase hex (for people and sha256sum)
     * @param crc64nvme the content's CRC64NVME in lowercase hex (what sync checks: native and many times faster)
     */
    public record Entry(String path, long sizeBytes, String etag, String sha256, String crc64nvme) {
    }
}
