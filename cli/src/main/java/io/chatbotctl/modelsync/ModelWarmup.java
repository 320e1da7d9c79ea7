package io.chatbotctl.modelsync;

import io.chatbotctl.core.Json;
import software.amazon.awssdk.crt.auth.signing.AwsSigner;
import software.amazon.awssdk.crt.checksums.CRC64NVME;

import java.nio.charset.StandardCharsets;

/**
 * Prepares, on a second thread while picocli parses the arguments, what a {@code model} command needs next: aws-crt's
 * native library (signer, CRC64NVME), Jackson with the manifests' (de)serializers, and the XML reader for listings.
 * Each is otherwise loaded on first use, one after the other, before the first byte is fetched.
 */
public final class ModelWarmup {
    private ModelWarmup() {}

    public static void start() {
        ModelSync.daemon("model-warmup").newThread(() -> {
            try {
                prepare();
            } catch (Throwable ignored) {
                // the command loads each of these again itself, and reports what went wrong
            }
        }).start();
    }

    static void prepare() throws Exception {
        CrtRuntime.prepare();
        new CRC64NVME().update(new byte[1], 0, 1);
        Class.forName(AwsSigner.class.getName(), true, ModelWarmup.class.getClassLoader());
        Json.mapper().readValue("{\"version\":1,\"files\":[]}", RemoteManifest.class);
        ModelDirectory.json(Json.mapper().readValue("{\"version\":1,\"source\":\"s3://b/p/\",\"files\":[]}", Manifest.class));
        ListingXml.parse("<ListBucketResult></ListBucketResult>".getBytes(StandardCharsets.UTF_8));
    }
}
