package io.chatbotctl.proxy;

import io.chatbotctl.core.ChatbotctlException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The keys the proxy accepts, reloaded when the file changes. The file is checked every poll interval by its real
 * path, modification time and size: a Kubernetes Secret volume updates by swapping the {@code ..data} symlink to a
 * new directory, which changes the real path even when time and size happen to match, and an inotify watch on the
 * old directory would never fire. A file that does not parse keeps the previous keys (and says so).
 */
final class KeyRing implements AutoCloseable {
    private final Path file;
    private final Consumer<String> warnings;
    private final ScheduledExecutorService poller;
    private volatile Map<String, ApiKey> byHash = Map.of();
    private volatile int count;
    private String fingerprint = "";

    KeyRing(Path file, Duration pollInterval, Consumer<String> warnings) {
        this.file = file;
        this.warnings = warnings;
        if (!Files.isRegularFile(file)) {
            throw new io.chatbotctl.core.InvalidInputException("keys file " + file + " does not exist",
                    "create it with 'chatbotctl proxy keys create NAME --keys " + file + "'");
        }
        reloadIfChanged(true);
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proxy-keys");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(10, pollInterval.toMillis());
        poller.scheduleWithFixedDelay(() -> reloadIfChanged(false), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The key's entry, or null when unknown. Revoked keys are returned (the caller says "revoked"). */
    ApiKey lookup(String presented) {
        return byHash.get(Keys.hash(presented));
    }

    int size() {
        return count;
    }

    private void reloadIfChanged(boolean first) {
        String now;
        try {
            Path real = file.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            now = real + "|" + a.lastModifiedTime().toMillis() + "|" + a.size();
        } catch (IOException e) {
            if (first) {
                throw new io.chatbotctl.core.InvalidInputException("cannot read keys file " + file + ": " + e);
            }
            return; // mid-swap or briefly missing: keep the keys we have
        }
        if (now.equals(fingerprint)) {
            return;
        }
        try {
            List<ApiKey> keys = KeysFile.read(file);
            Map<String, ApiKey> map = new HashMap<>();
            keys.forEach(k -> map.put(k.hash(), k));
            byHash = Map.copyOf(map);
            count = keys.size();
            fingerprint = now;
            if (!first) {
                warnings.accept("keys file " + file + " reloaded: " + keys.size() + " keys ("
                        + keys.stream().filter(ApiKey::revoked).count() + " revoked)");
            }
        } catch (ChatbotctlException e) {
            if (first) {
                throw e;
            }
            fingerprint = now;
            warnings.accept("keys file " + file + " not reloaded, keeping the previous keys: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
