package io.chatbotctl.modelsync;

/**
 * {@code doctor}'s probe of a model URI: a HEAD of the remote manifest ({@value RemoteManifest#NAME}) that
 * {@code model push} writes and {@code model sync} reads, signed like every other request of the S3 reader with the
 * caller's credentials (the default chain, or {@code --profile}), not the pod's role. A refusal or an unreachable
 * store throws the same exceptions as {@code model sync} (exit 4 with a hint).
 */
public final class ManifestProbe {
    private ManifestProbe() {}

    /**
     * @param uri       the model's {@code s3://bucket/prefix/}
     * @param sizeBytes the manifest's size
     * @param etag      its ETag
     */
    public record Head(String uri, long sizeBytes, String etag) {
    }

    public static Head head(S3Settings settings, String modelUri) {
        S3Location location = S3Location.parse(modelUri);
        try (S3Reader reader = new S3Reader(settings, 1)) {
            S3Reader.Head head = reader.head(location.bucket(), location.key(RemoteManifest.NAME));
            return new Head("s3://" + location.bucket() + "/" + location.key(RemoteManifest.NAME), head.sizeBytes(), head.etag());
        }
    }
}
