package io.chatbotctl.modelsync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrtRuntimeTest {
    @TempDir
    Path dir;

    @Test
    void unpacksThisPlatformsLibraryUnderItsLoadableNameAndReplacesAnOldOne() throws Exception {
        Path nativeDir = dir.resolve("native");
        Path library = CrtRuntime.unpackNativeLibrary(nativeDir);
        assertEquals(nativeDir.resolve(System.mapLibraryName("aws-crt-jni")), library);
        byte[] elf = {0x7f, 'E', 'L', 'F'};
        assertArrayEquals(elf, Arrays.copyOf(Files.readAllBytes(library), 4), "a shared library for System.loadLibrary");
        long size = Files.size(library);
        assertTrue(size > 1_000_000, "the whole library, not a stub: " + size);

        Files.delete(library);
        Files.writeString(library, "a library from an older jar");
        assertEquals(size, Files.size(CrtRuntime.unpackNativeLibrary(nativeDir)));
        try (var left = Files.list(nativeDir)) {
            assertEquals(1, left.count(), "no temporary file is left behind");
        }
    }
}
