package io.chatbotctl.modelsync;

import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

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
        return HexFormat.of().formatHex(hasher.digest());
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
            values.add(HexFormat.of().formatHex(hasher.digest()));
        }
        return values;
    }

    /** S3's base64 checksum header value as lowercase hex. */
    public static String base64ToHex(String base64) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }

    private interface Hasher {
        void update(ByteBuffer buffer);

        byte[] digest();
    }

    private static Hasher hasher(String algorithm) {
        switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "sha256", "md5" -> {
                MessageDigest digest = messageDigest(algorithm.equals("md5") ? "MD5" : "SHA-256");
                return new Hasher() {
                    public void update(ByteBuffer buffer) {
                        digest.update(buffer);
                    }

                    public byte[] digest() {
                        return digest.digest();
                    }
                };
            }
            case "crc32c" -> {
                CRC32C crc = new CRC32C();
                return new Hasher() {
                    public void update(ByteBuffer buffer) {
                        crc.update(buffer);
                    }

                    public byte[] digest() {
                        return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
                    }
                };
            }
            case "crc64nvme" -> {
                SdkChecksum crc = SdkChecksum.forAlgorithm(DefaultChecksumAlgorithm.CRC64NVME);
                return new Hasher() {
                    public void update(ByteBuffer buffer) {
                        crc.update(buffer);
                    }

                    public byte[] digest() {
                        return crc.getChecksumBytes();
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown checksum algorithm " + algorithm);
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
