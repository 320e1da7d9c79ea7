package io.chatbotctl.modelsync;

import java.util.List;

/**
 * {@code DEST/.chatbotctl/manifest.json}: what a sync put in the directory and how each file was verified.
 *
 * @param version the format version (1)
 * @param source  the {@code s3://} location the files came from
 * @param files   one entry per file, sorted by path
 */
public record Manifest(int version, String source, List<Entry> files) {
    public static final int VERSION = 1;

    public Manifest {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /**
     * @param path              the file's path relative to the directory, with {@code /}
     * @param key               the S3 key it came from
     * @param sizeBytes         its size
     * @param etag              the object's ETag without quotes, at download time
     * @param checksumAlgorithm {@code crc64nvme}, {@code crc32c}, {@code sha256} or {@code md5}: what {@code checksum} is
     * @param checksum          the file's checksum in lowercase hex, re-computed by {@code model verify --deep}
     * @param verifiedBy        how the download was checked against S3: see {@link Verification.Method}
     * @param modifiedMillis    the file's modification time after the download, to notice local edits cheaply
     */
    public record Entry(String path, String key, long sizeBytes, String etag, String checksumAlgorithm, String checksum,
                        String verifiedBy, long modifiedMillis) {
    }
}
