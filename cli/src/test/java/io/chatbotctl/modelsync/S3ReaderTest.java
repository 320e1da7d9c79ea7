package io.chatbotctl.modelsync;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The native reader against S3Proxy, with the aws CLI putting the objects there. */
class S3ReaderTest {
    private static final List<String> NAMES = List.of("a b.json", "c+d=e&f.bin", "100%.txt", "문서/설명 파일.md", "x/y/z.json");

    @TempDir
    static Path shared;
    static S3Fixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new S3Fixture(Files.createDirectories(shared.resolve("blobs")));
        fx.createBucket("reader");
        Path src = shared.resolve("src");
        for (int i = 0; i < NAMES.size(); i++) {
            S3Fixture.write(src.resolve(NAMES.get(i)), 1000 + i, i);
        }
        fx.awsUpload(src, "s3://reader/m/");
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static S3Reader reader(Map<String, String> overrides) {
        Map<String, String> env = new java.util.HashMap<>(fx.s3.clientEnvironment());
        env.putAll(overrides);
        return new S3Reader(new S3Settings(fx.s3.endpointUrl(), null, null, env), 4);
    }

    @Test
    void listsEveryPageAndKeepsOddKeysIntact() {
        try (S3Reader reader = reader(Map.of())) {
            S3Location location = S3Location.parse("s3://reader/m");
            List<S3Reader.Listed> all = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                S3Reader.Page page = reader.list(location, token, 2);
                all.addAll(page.objects());
                token = page.nextToken();
                pages++;
            } while (token != null);
            assertTrue(pages >= 3, "pages: " + pages);
            assertEquals(NAMES.stream().map(n -> "m/" + n).sorted().toList(), all.stream().map(S3Reader.Listed::key)
                    .filter(k -> !k.endsWith("/")).sorted().toList(), "directory markers aside (S3Proxy lists them)");
            S3Reader.Listed first = all.stream().filter(o -> o.key().equals("m/a b.json")).findFirst().orElseThrow();
            assertEquals(1000, first.sizeBytes());
            assertTrue(first.etag().matches("[0-9a-f]{32}"), first.etag());
        }
    }

    @Test
    void headGetAndRangedGetToFileAgreeWithTheSource() throws Exception {
        try (S3Reader reader = reader(Map.of())) {
            String key = "m/문서/설명 파일.md";
            S3Reader.Head head = reader.head("reader", key);
            assertEquals(1003, head.sizeBytes());
            byte[] source = Files.readAllBytes(shared.resolve("src/문서/설명 파일.md"));
            assertArrayEquals(source, reader.get("reader", key));

            Path file = shared.resolve("ranged.part");
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(source.length);
            }
            try (PartFile writer = PartFile.open(file)) {
                java.util.zip.Checksum tail = Checksums.streaming("crc64nvme");
                java.util.zip.Checksum front = Checksums.streaming("crc64nvme");
                reader.getRangeToFile("reader", key, 500, source.length - 1, head.etag(), writer, tail).join();
                reader.getRangeToFile("reader", key, 0, 499, head.etag(), writer, front).join();
                assertArrayEquals(source, Files.readAllBytes(file));
                long whole = Checksums.combiner("crc64nvme").combine(front.getValue(), tail.getValue(), source.length - 500);
                assertEquals(Checksums.ofFile(file, "crc64nvme"), Checksums.hex("crc64nvme", whole), "ranges checksummed as they arrived");

                CompletionException changed = assertThrows(CompletionException.class,
                        () -> reader.getRangeToFile("reader", key, 0, 9, "0123456789abcdef0123456789abcdef", writer, null).join());
                assertTrue(changed.getCause().getMessage().contains("changed during the transfer"), changed.getCause().getMessage());
            }
        }
    }

    @Test
    void failuresAreOneUserFacingLine() {
        try (S3Reader reader = reader(Map.of())) {
            ExternalSystemException missing = assertThrows(ExternalSystemException.class, () -> reader.head("reader", "m/nope"));
            assertTrue(missing.getMessage().startsWith("not found: s3://reader/m/nope"), missing.getMessage());
            ExternalSystemException bucket = assertThrows(ExternalSystemException.class,
                    () -> reader.list(S3Location.parse("s3://no-such-bucket/m"), null));
            assertTrue(bucket.getMessage().startsWith("no such bucket"), bucket.getMessage());
        }
        try (S3Reader wrong = reader(Map.of("AWS_SECRET_ACCESS_KEY", "wrong"))) {
            ExternalSystemException denied = assertThrows(ExternalSystemException.class,
                    () -> wrong.list(S3Location.parse("s3://reader/m"), null));
            assertTrue(denied.getMessage().startsWith("access denied to s3://reader/m/"), denied.getMessage());
        }
        int closed = FreePorts.next();
        try (S3Reader nowhere = new S3Reader(new S3Settings("http://127.0.0.1:" + closed, null, null, fx.s3.clientEnvironment()), 4)) {
            ExternalSystemException unreachable = assertThrows(ExternalSystemException.class,
                    () -> nowhere.list(S3Location.parse("s3://reader/m"), null));
            assertTrue(unreachable.getMessage().startsWith("cannot reach S3 for s3://reader/m/"), unreachable.getMessage());
            assertNull(unreachable.getCause());
        }
    }
}
