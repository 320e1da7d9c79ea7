package io.chatbotctl.proxy;

import io.chatbotctl.core.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code chatbotctl proxy keys create|list|revoke}. A key is 32 random bytes (256 bits) from {@link SecureRandom};
 * the file keeps only its SHA-256. A slow password hash (bcrypt, Argon2) exists to make guessing a low-entropy
 * password from its hash expensive; a 256-bit random key cannot be guessed at any hashing speed, so the fast hash
 * loses nothing and keeps checking a key at about a microsecond per request.
 */
public final class Keys {
    public static final String PREFIX = "cbk-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    /** A key just created: {@code key} is shown once and stored nowhere. */
    public record Created(String name, String key, int rpm, int tpm, int maxConcurrency, String keysFile) {
    }

    /** A key as {@code keys list} shows it: never the key or its hash. */
    public record Listed(String name, int rpm, int tpm, int maxConcurrency, boolean revoked, Instant created) {
    }

    public static Created create(Path file, String name, int rpm, int tpm, int maxConcurrency) {
        if (!validName(name)) {
            throw new InvalidInputException("'" + name + "' is not a key name", "use letters, digits, '-', '_' and '.'");
        }
        if (rpm < 0 || tpm < 0 || maxConcurrency < 0) {
            throw new InvalidInputException("limits must be >= 0 (0 = no limit)");
        }
        List<ApiKey> keys = new ArrayList<>(KeysFile.read(file));
        if (keys.stream().anyMatch(k -> k.name().equals(name))) {
            throw new InvalidInputException("a key named '" + name + "' exists in " + file,
                    "revoke it and create one under a new name, or pick another name");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        keys.add(new ApiKey(name, hash(key), rpm, tpm, maxConcurrency, false,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        KeysFile.write(file, keys);
        return new Created(name, key, rpm, tpm, maxConcurrency, file.toString());
    }

    public static List<Listed> list(Path file) {
        return KeysFile.read(file).stream()
                .map(k -> new Listed(k.name(), k.rpm(), k.tpm(), k.maxConcurrency(), k.revoked(), k.created()))
                .toList();
    }

    public static Listed revoke(Path file, String name) {
        List<ApiKey> keys = new ArrayList<>(KeysFile.read(file));
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).name().equals(name)) {
                ApiKey revoked = keys.get(i).revoke();
                keys.set(i, revoked);
                KeysFile.write(file, keys);
                return new Listed(name, revoked.rpm(), revoked.tpm(), revoked.maxConcurrency(), true, revoked.created());
            }
        }
        throw new InvalidInputException("no key named '" + name + "' in " + file, "see 'chatbotctl proxy keys list'");
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean validName(String name) {
        return name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    }
}
