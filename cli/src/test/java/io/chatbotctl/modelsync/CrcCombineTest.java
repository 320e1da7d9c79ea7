package io.chatbotctl.modelsync;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Checksums of pieces, fed from direct buffers and combined, agree with the checksum of the whole file. */
class CrcCombineTest {
    @Test
    void piecesCombineToTheWholeFilesChecksum(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Random random = new Random(11);
        byte[] data = new byte[3_000_001];
        random.nextBytes(data);
        Path file = Files.write(dir.resolve("data"), data);
        for (String algorithm : new String[] {"crc64nvme", "crc32c"}) {
            for (int trial = 0; trial < 5; trial++) {
                long combined = 0;
                int at = 0;
                boolean first = true;
                while (at < data.length) {
                    int length = Math.min(data.length - at, trial == 0 ? 1 : 1 + random.nextInt(900_000));
                    if (trial == 0 && at > 10) {
                        length = data.length - at;
                    }
                    Checksum piece = Checksums.streaming(algorithm);
                    ByteBuffer direct = ByteBuffer.allocateDirect(length).put(data, at, length).flip();
                    piece.update(direct);
                    combined = first ? piece.getValue() : Checksums.combiner(algorithm).combine(combined, piece.getValue(), length);
                    first = false;
                    at += length;
                }
                assertEquals(Checksums.ofFile(file, algorithm), Checksums.hex(algorithm, combined), algorithm + " trial " + trial);
            }
        }
    }

    @Test
    void fileChecksumsMatchThePublishedCheckValues(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("check"), "123456789");
        assertEquals("ae8b14860a799888", Checksums.ofFile(file, "crc64nvme"), "CRC-64/NVME check value");
        assertEquals("e3069283", Checksums.ofFile(file, "crc32c"), "CRC-32C check value");
        assertEquals("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225", Checksums.ofFile(file, "sha256"));
        assertEquals("25f9e794323b453885f5181f1b624d0b", Checksums.ofFile(file, "md5"));
    }

    @Test
    void theOrderOfThePiecesMatters() {
        Checksum a = Checksums.streaming("crc64nvme");
        a.update(new byte[] {1, 2, 3}, 0, 3);
        Checksum b = Checksums.streaming("crc64nvme");
        b.update(new byte[] {4, 5}, 0, 2);
        assertNotEquals(CrcCombine.CRC64NVME.combine(a.getValue(), b.getValue(), 2), CrcCombine.CRC64NVME.combine(b.getValue(), a.getValue(), 3));
    }

    @Test
    void digestsThatCannotBeCombinedHaveNoStreamingForm() {
        assertNull(Checksums.streaming("sha256"));
        assertNull(Checksums.streaming("md5"));
    }
}
