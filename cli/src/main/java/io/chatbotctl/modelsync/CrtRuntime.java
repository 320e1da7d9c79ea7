package io.chatbotctl.modelsync;

import software.amazon.awssdk.crt.internal.ExtractLib;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What aws-crt would otherwise do at every load: run {@code ldd --version} to tell glibc from musl (a quarter
 * second), and unpack its 6 MB native library from the jar into the temp directory (30 ms). With the library
 * unpacked once into a directory on {@code java.library.path}, aws-crt loads it from there.
 */
public final class CrtRuntime {
    private static final String LIBC = "aws.crt.libc";
    private static final String LIBRARY = "aws-crt-jni";

    private CrtRuntime() {}

    static void prepare() {
        if (System.getProperty(LIBC) == null) {
            String[] musl = new File("/lib").list((dir, name) -> name.startsWith("ld-musl-"));
            System.setProperty(LIBC, musl != null && musl.length > 0 ? "musl" : "glibc");
        }
    }

    /** Unpacks this platform's aws-crt library into {@code dir}, replacing whatever library is there. */
    public static Path unpackNativeLibrary(Path dir) throws IOException {
        prepare();
        Files.createDirectories(dir);
        Path library = dir.resolve(System.mapLibraryName(LIBRARY));
        Path unpacking = Files.createTempFile(dir, LIBRARY, ".tmp");
        try {
            ExtractLib.extractLibrary(unpacking.toFile());
            Files.move(unpacking, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(unpacking);
        }
        return library;
    }
}
