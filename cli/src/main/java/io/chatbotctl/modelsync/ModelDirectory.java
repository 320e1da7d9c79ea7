package io.chatbotctl.modelsync;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A synced model directory and its bookkeeping under {@code .chatbotctl/}: {@code manifest.json}, the marker
 * {@code COMPLETE} (which names the manifest's SHA-256, so a stale marker never matches), {@code lock}, and
 * {@code partial/} with the progress journals of {@code .part} files.
 */
public final class ModelDirectory {
    public static final String META = ".chatbotctl";
    public static final String PART_SUFFIX = ".part";

    private final Path root;

    public ModelDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The marker's content.
     *
     * @param source          where the files came from
     * @param manifestSha256  SHA-256 of manifest.json's bytes
     * @param files           number of files
     * @param bytes           their total size
     * @param completedAt     when the sync finished
     */
    public record Marker(String source, String manifestSha256, int files, long bytes, Instant completedAt) {
    }

    public Path root() {
        return root;
    }

    public Path meta() {
        return root.resolve(META);
    }

    public Path manifestFile() {
        return meta().resolve("manifest.json");
    }

    public Path markerFile() {
        return meta().resolve("COMPLETE");
    }

    public Path lockFile() {
        return meta().resolve("lock");
    }

    public Path journalDir() {
        return meta().resolve("partial");
    }

    /** The local file of a relative path, refusing paths that would leave the directory. */
    public Path file(String relativePath) {
        Path resolved = root.resolve(relativePath).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root) || resolved.startsWith(meta())) {
            throw new InvalidInputException("refusing object path '" + relativePath + "': it leaves " + root,
                    "object keys must not contain '..' segments or name .chatbotctl/");
        }
        return resolved;
    }

    public Path partFile(Path file) {
        return file.resolveSibling(file.getFileName() + PART_SUFFIX);
    }

    /** The manifest, or null when there is none (or it is unreadable, which means: sync everything again). */
    public Manifest readManifest() {
        try {
            return Json.mapper().readValue(Files.readAllBytes(manifestFile()), Manifest.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    public void writeManifest(Manifest manifest) {
        AtomicFiles.write(manifestFile(), out -> out.write(json(manifest)));
    }

    public void writeMarker(Manifest manifest) throws IOException {
        long bytes = manifest.files().stream().mapToLong(Manifest.Entry::sizeBytes).sum();
        Marker marker = new Marker(manifest.source(), sha256(Files.readAllBytes(manifestFile())), manifest.files().size(),
                bytes, Instant.now());
        AtomicFiles.write(markerFile(), out -> out.write(json(marker)));
    }

    public void removeMarker() throws IOException {
        Files.deleteIfExists(markerFile());
    }

    /** The marker when it exists and names the manifest that is there now; else null. */
    public Marker matchingMarker() {
        try {
            Marker marker = Json.mapper().readValue(Files.readAllBytes(markerFile()), Marker.class);
            String actual = sha256(Files.readAllBytes(manifestFile()));
            return actual.equals(marker.manifestSha256()) ? marker : null;
        } catch (IOException e) {
            return null;
        }
    }

    static byte[] json(Object value) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
