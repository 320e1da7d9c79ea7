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
