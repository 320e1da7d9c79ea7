package io.chatbotctl.modelsync;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VerificationTest {
    private static final String MD5 = "9c2b3710b234c7c79db6371d090bd4c0";

    private static S3Reader.Head head(String etag, String crc64nvme, String crc32c, String type, String sse) {
        return new S3Reader.Head(10, etag, crc64nvme, crc32c, null, type, sse);
    }

    @Test
    void prefersTheObjectsFullObjectChecksum() {
        Verification v = Verification.choose(head("x-3", "AAAAAAAAAAE=", null, "FULL_OBJECT", null), null);
        assertEquals(Verification.Method.S3_CRC64NVME, v.method());
        assertEquals("0000000000000001", v.expectedHex());
    }

    @Test
    void compositeChecksumsSayNothingAboutTheWholeObject() {
        assertEquals(Verification.Method.SIZE,
                Verification.choose(head("abc-3", null, "AAAAAQ==-3", "COMPOSITE", null), null).method());
    }

    @Test
    void thePushedManifestAppliesOnlyWhileTheEtagAndSizeMatch() {
        RemoteManifest.Entry pushed = new RemoteManifest.Entry("a", 10, "abc-3", "ff", "0a");
        assertEquals(Verification.Method.MANIFEST_CRC64NVME, Verification.choose(head("abc-3", null, null, null, null), pushed).method());
        assertEquals(Verification.Method.SIZE, Verification.choose(head("abd-3", null, null, null, null), pushed).method());
    }

    @Test
    void singlePartEtagsAreMd5UnlessKmsEncrypted() {
        assertEquals(Verification.Method.ETAG_MD5, Verification.choose(head(MD5, null, null, null, null), null).method());
        assertEquals(Verification.Method.SIZE, Verification.choose(head(MD5, null, null, null, "aws:kms"), null).method());
    }
}
