package io.chatbotctl.modelsync;

import java.nio.file.Path;

/**
 * @param source         the local model directory
 * @param destination    where to upload it
 * @param filter         which relative paths to upload
 * @param partSizeBytes  multipart part size (and the size above which uploads are multipart)
 * @param concurrency    the client's connection budget
 */
public record PushRequest(Path source, S3Location destination, KeyFilter filter, long partSizeBytes, int concurrency) {
    public PushRequest {
        if (partSizeBytes < (5L << 20)) {
            throw new io.chatbotctl.core.InvalidInputException("--part-size must be at least 5MiB (S3's smallest multipart part)");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new io.chatbotctl.core.InvalidInputException("--concurrency must be between 1 and 256");
        }
    }
}
