package io.chatbotctl.modelsync;

import java.util.regex.Pattern;

/**
 * How a downloaded file is checked against S3, strongest first.
 *
 * @param method      what the check is based on (see {@link Method})
 * @param algorithm   the checksum computed over the local file ({@code crc64nvme} when only the size can be checked,
 *                    recorded for {@code model verify --deep})
 * @param expectedHex the value it must have, or null when only the size is checked
 */
public record Verification(Method method, String algorithm, String expectedHex) {
    private static final Pattern MD5_ETAG = Pattern.compile("[0-9a-fA-F]{32}");

    public enum Method {
        /** The object's full-object CRC64NVME checksum as S3 reports it. */
        S3_CRC64NVME("s3-crc64nvme"),
        /** The object's full-object CRC32C checksum. */
        S3_CRC32C("s3-crc32c"),
        /** The object's full-object SHA-256 checksum. */
        S3_SHA256("s3-sha256"),
        /** The CRC64NVME that {@code model push} recorded in the remote manifest for this ETag. */
        MANIFEST_CRC64NVME("manifest-crc64nvme"),
        /** The SHA-256 that {@code model push} recorded (manifests without a CRC64NVME). */
        MANIFEST_SHA256("manifest-sha256"),
        /** The ETag of a single-part, non-KMS upload, which is the content's MD5. */
        ETAG_MD5("etag-md5"),
        /** Nothing better is known: only the size. */
        SIZE("size");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static Verification choose(S3Reader.Head head, RemoteManifest.Entry pushed) {
        String etag = head.etag();
        String crc64 = fullObject(head.crc64nvme());
        if (crc64 != null) {
            return new Verification(Method.S3_CRC64NVME, "crc64nvme", Checksums.base64ToHex(crc64));
        }
        String crc32c = fullObject(head.crc32c());
        if (crc32c != null && !"COMPOSITE".equals(head.checksumType())) {
            return new Verification(Method.S3_CRC32C, "crc32c", Checksums.base64ToHex(crc32c));
        }
        String sha256 = fullObject(head.sha256());
        if (sha256 != null && !"COMPOSITE".equals(head.checksumType())) {
            return new Verification(Method.S3_SHA256, "sha256", Checksums.base64ToHex(sha256));
        }
        if (pushed != null && pushed.etag().equals(etag) && pushed.sizeBytes() == head.sizeBytes()) {
            return pushed.crc64nvme() != null
                    ? new Verification(Method.MANIFEST_CRC64NVME, "crc64nvme", pushed.crc64nvme())
                    : new Verification(Method.MANIFEST_SHA256, "sha256", pushed.sha256());
        }
        boolean kms = head.serverSideEncryption() != null && head.serverSideEncryption().startsWith("aws:kms");
        if (!kms && MD5_ETAG.matcher(etag).matches()) {
            return new Verification(Method.ETAG_MD5, "md5", etag.toLowerCase(java.util.Locale.ROOT));
        }
        return new Verification(Method.SIZE, "crc64nvme", null);
    }

    /** A composite (per-part) checksum ends with {@code -N} and says nothing about the whole object. */
    private static String fullObject(String base64) {
        return base64 == null || base64.isBlank() || base64.contains("-") ? null : base64;
    }
}
