package io.chatbotctl.modelsync;

import software.amazon.awssdk.crt.checksums.CRC64NVME;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** Whole-file checksums in the algorithms S3 knows, as lowercase hex. */
public final class Checksums {
    private static final int BUFFER_BYTES = 1 << 20;

    private Checksums() {}

    /** @param algorithm {@code crc64nvme}, {@code crc32c}, {@code sha256} or {@code md5} */
    public static String ofFile(Path file, String algorithm) throws IOException {
        Hasher hasher = hasher(algorithm);
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                hasher.update(buffer);
                buffer.clear();
            }
        }
        return hasher.hex();
    }

    /** Several checksums of a file in one read, in the order asked. */
    public static java.util.List<String> ofFile(Path file, String... algorithms) throws IOException {
        Hasher[] hashers = new Hasher[algorithms.length];
        for (int i = 0; i < algorithms.length; i++) {
            hashers[i] = hasher(algorithms[i]);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                for (Hasher hasher : hashers) {
                    hasher.update(buffer.duplicate());
                }
                buffer.clear();
            }
        }
        java.util.List<String> values = new java.util.ArrayList<>();
        for (Hasher hasher : hashers) {
            values.add(hasher.hex());
        }
        return values;
    }

    /**
     * A checksum to feed a range with as its bytes arrive, or null when the algorithm's values cannot be combined
     * ({@code sha256}, {@code md5}); see {@link #combiner}.
     */
    static Checksum streaming(String algorithm) {
        return switch (algorithm) {
            case "crc64nvme" -> new Crc64Nvme();
            case "crc32c" -> new CRC32C();
            default -> null;
        };
    }

    /** Joins the values of {@link #streaming} checksums of consecutive ranges. */
    static CrcCombine combiner(String algorithm) {
        return algorithm.equals("crc32c") ? CrcCombine.CRC32C : CrcCombine.CRC64NVME;
    }

    /** A {@link #streaming} checksum's value as {@link #ofFile} writes it. */
    static String hex(String algorithm, long value) {
        return algorithm.equals("crc32c") ? HexFormat.of().toHexDigits((int) value) : HexFormat.of().toHexDigits(value);
    }

    /** S3's base64 checksum header value as lowercase hex. */
    public static String base64ToHex(String base64) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }

    private interface Hasher {
        void update(ByteBuffer buffer);

        String hex();
    }

    private static Hasher hasher(String algorithm) {
        String name = algorithm.toLowerCase(Locale.ROOT);
        Checksum crc = streaming(name);
        if (crc != null) {
            return new Hasher() {
                public void update(ByteBuffer buffer) {
                    crc.update(buffer);
                }

                public String hex() {
                    return Checksums.hex(name, crc.getValue());
                }
            };
        }
        if (!name.equals("sha256") && !name.equals("md5")) {
            throw new IllegalArgumentException("unknown checksum algorithm " + algorithm);
        }
        MessageDigest digest = messageDigest(name.equals("md5") ? "MD5" : "SHA-256");
        return new Hasher() {
            public void update(ByteBuffer buffer) {
                digest.update(buffer);
            }

            public String hex() {
                return HexFormat.of().formatHex(digest.digest());
            }
        };
    }

    /**
     * aws-crt's native CRC-64/NVME, fed from direct buffers through the thread's reused array instead of 4 KiB
     * copies (one checksum per 16 MiB range: an array per checksum would be 32 MiB of garbage per 2 GiB).
     */
    private static final class Crc64Nvme implements Checksum {
        static {
            CrtRuntime.prepare();
        }

        private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[S3Http.BUFFER_BYTES]);

        private final CRC64NVME crc = new CRC64NVME();

        @Override
        public void update(ByteBuffer buffer) {
            if (buffer.hasArray()) {
                crc.update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                buffer.position(buffer.limit());
                return;
            }
            byte[] scratch = SCRATCH.get();
            while (buffer.hasRemaining()) {
                int n = Math.min(buffer.remaining(), scratch.length);
                buffer.get(scratch, 0, n);
                crc.update(scratch, 0, n);
            }
        }

        @Override
        public void update(int b) {
            crc.update(b);
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            crc.update(bytes, offset, length);
        }

        @Override
        public long getValue() {
            return crc.getValue();
        }

        @Override
        public void reset() {
            crc.reset();
        }
    }

    private static MessageDigest messageDigest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every JDK", e);
        }
    }
}
