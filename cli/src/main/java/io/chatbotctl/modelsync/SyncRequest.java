package io.chatbotctl.modelsync;

import java.nio.file.Path;

/**
 * @param source                      where the model is
 * @param destination                 the local directory
 * @param filter                      which relative paths to take
 * @param delete                      remove local files (that the filter accepts) which are no longer in S3
 * @param dryRun                      list the actions, change nothing
 * @param partSizeBytes               size of each ranged GET
 * @param concurrency                 ranged GETs in flight, across files
 * @param maxBandwidthBytesPerSecond  0 for unlimited
 * @param fsync                       force every file's bytes to disk before it is renamed into place (and each
 *                                    range before it is journalled), so a power loss cannot leave a file that looks
 *                                    complete; off for volumes that do not survive a node restart (emptyDir)
 */
public record SyncRequest(S3Location source, Path destination, KeyFilter filter, boolean delete, boolean dryRun,
                          long partSizeBytes, int concurrency, long maxBandwidthBytesPerSecond, boolean fsync) {
    public static final long DEFAULT_PART_SIZE_BYTES = 16L << 20;
    public static final int DEFAULT_CONCURRENCY = 16;

    public SyncRequest {
        if (partSizeBytes < (5L << 20)) {
            throw new io.chatbotctl.core.InvalidInputException("--part-size must be at least 5MiB (S3's smallest multipart part)");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new io.chatbotctl.core.InvalidInputException("--concurrency must be between 1 and 256");
        }
        if (maxBandwidthBytesPerSecond < 0) {
            throw new io.chatbotctl.core.InvalidInputException("--max-bandwidth must not be negative");
        }
    }
}
