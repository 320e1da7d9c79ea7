package io.chatbotctl.modelsync;

/**
 * Whether the store answered HEAD with {@code x-amz-checksum-mode: ENABLED}, remembered for one run.
 *
 * @param state  {@code enabled} (the store took it), {@code unsupported} (it refused it: files verified by ETag MD5
 *               or size), or {@code unused} (no HEAD was needed)
 * @param detail how the store refused it (e.g. {@code HTTP 501 NotImplemented}), else null
 */
public record ChecksumMode(String state, String detail) {
    static final ChecksumMode UNUSED = new ChecksumMode("unused", null);
    static final ChecksumMode ENABLED = new ChecksumMode("enabled", null);

    static ChecksumMode unsupported(String detail) {
        return new ChecksumMode("unsupported", detail);
    }

    public boolean unsupported() {
        return state.equals("unsupported");
    }

    /** One line for the table output. */
    public String describe() {
        return switch (state) {
            case "enabled" -> "store checksums: asked with x-amz-checksum-mode";
            case "unsupported" -> "store checksums: the store does not implement x-amz-checksum-mode (" + detail
                    + "): asked again without it, files verified by ETag MD5, a manifest of model push, or size";
            default -> "store checksums: no object needed a HEAD";
        };
    }
}
