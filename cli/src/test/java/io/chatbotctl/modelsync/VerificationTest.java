package io.chatbotctl.modelsync;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VerificationTest {
    private static final String MD5 = "9c2b3710b234c7c79db6371d090bd4c0";

    @Test
    void prefersTheObjectsFullObjectChecksum() {
        HeadObjectResponse head = HeadObjectResponse.builder().contentLength(10L).eTag("\"x-3\"")
                .checksumCRC64NVME("AAAAAAAAAAE=").checksumType("FULL_OBJECT").build();
        Verification v = Verification.choose(head, "x-3", null);
        assertEquals(Verification.Method.S3_CRC64NVME, v.method());
        assertEquals("0000000000000001", v.expectedHex());
    }

    @Test
    void compositeChecksumsSayNothingAboutTheWholeObject() {
        HeadObjectResponse head = HeadObjectResponse.builder().contentLength(10L).checksumCRC32C("AAAAAQ==-3")
                .checksumType("COMPOSITE").build();
        assertEquals(Verification.Method.SIZE, Verification.choose(head, "abc-3", null).method());
    }

    @Test
    void thePushedManifestAppliesOnlyWhileTheEtagAndSizeMatch() {
        HeadObjectResponse head = HeadObjectResponse.builder().contentLength(10L).build();
        RemoteManifest.Entry pushed = new RemoteManifest.Entry("a", 10, "abc-3", "ff", "0a");
        assertEquals(Verification.Method.MANIFEST_CRC64NVME, Verification.choose(head, "abc-3", pushed).method());
        assertEquals(Verification.Method.SIZE, Verification.choose(head, "abd-3", pushed).method());
    }

    @Test
    void singlePartEtagsAreMd5UnlessKmsEncrypted() {
        HeadObjectResponse plain = HeadObjectResponse.builder().contentLength(10L).build();
        assertEquals(Verification.Method.ETAG_MD5, Verification.choose(plain, MD5, null).method());
        HeadObjectResponse kms = HeadObjectResponse.builder().contentLength(10L).serverSideEncryption(ServerSideEncryption.AWS_KMS).build();
        assertEquals(Verification.Method.SIZE, Verification.choose(kms, MD5, null).method());
    }
}
