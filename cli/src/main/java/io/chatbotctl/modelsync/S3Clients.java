package io.chatbotctl.modelsync;

import io.chatbotctl.core.InvalidInputException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3CrtAsyncClientBuilder;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/** Builds the CRT-based S3 async client: native, parallel, ranged transfers straight to and from files. */
public final class S3Clients {
    private S3Clients() {}

    /**
     * @param partSizeBytes size of each ranged GET and each multipart upload part (also the multipart threshold)
     * @param concurrency   the CRT client's connection budget
     */
    public static S3AsyncClient crt(S3Settings settings, long partSizeBytes, int concurrency) {
        return crt(settings, partSizeBytes, concurrency, true);
    }

    /**
     * @param uploadChecksums send a checksum with every upload (the CRT client sends it as an aws-chunked trailer,
     *                        which S3Proxy 2.6 rejects with XAmzContentSHA256Mismatch); false sends none unless required
     */
    public static S3AsyncClient crt(S3Settings settings, long partSizeBytes, int concurrency, boolean uploadChecksums) {
        CrtRuntime.prepare();
        S3CrtAsyncClientBuilder builder = S3AsyncClient.crtBuilder()
                .credentialsProvider(credentials(settings))
                .region(Region.of(settings.resolvedRegion()))
                .minimumPartSizeInBytes(partSizeBytes)
                .thresholdInBytes(partSizeBytes)
                .maxConcurrency(concurrency)
                .targetThroughputInGbps(10.0)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
                .requestChecksumCalculation(uploadChecksums ? RequestChecksumCalculation.WHEN_SUPPORTED
                        : RequestChecksumCalculation.WHEN_REQUIRED)
                .retryConfiguration(r -> r.numRetries(3));
        String endpoint = settings.resolvedEndpoint();
        if (endpoint != null) {
            builder.endpointOverride(endpointUri(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }

    /**
     * Explicit keys in the given environment win (as with the aws CLI) unless {@code --profile} is set; otherwise
     * the SDK's default chain, which includes IRSA web identity through the sts module.
     */
    static AwsCredentialsProvider credentials(S3Settings settings) {
        Map<String, String> env = settings.variables();
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (settings.profile() == null && id != null && !id.isBlank() && secret != null) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(id, secret)
                    : AwsSessionCredentials.create(id, secret, token));
        }
        DefaultCredentialsProvider.Builder chain = DefaultCredentialsProvider.builder();
        if (settings.profile() != null) {
            chain.profileName(settings.profile());
        }
        return chain.build();
    }

    static URI endpointUri(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(endpoint, "needs a scheme and a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidInputException("invalid --endpoint-url '" + endpoint + "'", "write it like http://127.0.0.1:9000");
        }
    }
}
