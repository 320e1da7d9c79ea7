package io.chatbotctl.modelsync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PartFileTest {
    @TempDir
    Path dir;

    @Test
    void rangesWrittenFromManyThreadsInSmallPiecesLandAtTheirOffsets() throws Exception {
        byte[] expected = new byte[3 << 20];
        new Random(7).nextBytes(expected);
        Path path = dir.resolve("model.safetensors.part");
        Files.write(path, new byte[expected.length]);
        int rangeBytes = 256 << 10;
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (PartFile file = PartFile.open(path)) {
            List<CompletableFuture<Void>> ranges = new ArrayList<>();
            for (int start = 0; start < expected.length; start += rangeBytes) {
                int from = start;
                ranges.add(CompletableFuture.runAsync(() -> {
                    // odd-sized direct pieces, as a socket hands them over
                    ByteBuffer piece = ByteBuffer.allocateDirect(4099);
                    for (int at = from; at < from + rangeBytes; at += piece.capacity()) {
                        int n = Math.min(piece.capacity(), from + rangeBytes - at);
                        piece.clear();
                        piece.put(expected, at, n).flip();
                        try {
                            file.write(piece, at);
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }
                }, threads));
            }
            CompletableFuture.allOf(ranges.toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
        assertArrayEquals(expected, Files.readAllBytes(path));
    }

    @Test
    void writingAfterCloseFails() throws Exception {
        Path path = dir.resolve("x.part");
        Files.write(path, new byte[10]);
        PartFile file = PartFile.open(path);
        file.close();
        assertThrows(ClosedChannelException.class, () -> file.write(ByteBuffer.wrap(new byte[3]), 0));
    }
}
