package io.chatbotctl.modelsync;

import io.chatbotctl.core.InvalidInputException;

/**
 * An {@code s3://bucket/prefix} URI. The prefix is a "directory": it is empty or ends with {@code /}, so
 * {@code s3://b/llama} never matches {@code s3://b/llama-old/...}.
 */
public record S3Location(String bucket, String prefix) {

    public static S3Location parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new InvalidInputException("'" + uri + "' is not an S3 URI", "write it like s3://bucket/models/llama-3.1-8b");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            throw new InvalidInputException("'" + bucket + "' in " + uri + " is not a valid bucket name",
                    "bucket names are 3-63 lowercase letters, digits, dots and hyphens");
        }
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return new S3Location(bucket, prefix);
    }

    /** The key of a path relative to this location. */
    public String key(String relativePath) {
        return prefix + relativePath;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
