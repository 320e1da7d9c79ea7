package io.chatbotctl.modelsync;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.crt.auth.credentials.Credentials;
import software.amazon.awssdk.crt.auth.credentials.CredentialsProvider;
import software.amazon.awssdk.crt.auth.credentials.DelegateCredentialsProvider;
import software.amazon.awssdk.crt.auth.signing.AwsSigner;
import software.amazon.awssdk.crt.auth.signing.AwsSigningConfig;
import software.amazon.awssdk.crt.http.HttpHeader;
import software.amazon.awssdk.crt.http.HttpRequest;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Checksum;

/**
 * Reads S3: listing pages, HEAD, small GETs into memory, and ranged GETs streamed straight into a file at their
 * offset ({@link S3Http}). Requests are signed with SigV4 by aws-crt's signer, with credentials from the SDK's
 * default chain. Path-style addressing for {@code --endpoint-url}, virtual-hosted for AWS.
 */
final class S3Reader implements AutoCloseable {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final CredentialsProvider credentials;
    private final AwsSigningConfig signing;
    private final S3Http http;
    private final URI endpoint;
    private final boolean pathStyle;
    private final AtomicReference<ChecksumMode> checksumMode = new AtomicReference<>(ChecksumMode.UNUSED);

    /** @param connections the most requests in flight */
    S3Reader(S3Settings settings, int connections) {
        CrtRuntime.prepare();
        String region = settings.resolvedRegion();
        String custom = settings.resolvedEndpoint();
        this.pathStyle = custom != null;
        this.endpoint = custom != null ? S3Clients.endpointUri(custom) : URI.create("https://s3." + region + ".amazonaws.com");
        AwsCredentialsProvider sdkCredentials = S3Clients.credentials(settings);
        resolveNow(sdkCredentials);
        this.credentials = new DelegateCredentialsProvider.DelegateCredentialsProviderBuilder()
                .withHandler(() -> crtCredentials(sdkCredentials.resolveCredentials())).build();
        this.signing = AwsSigningConfig.getDefaultS3SigningConfig(region, credentials);
        this.http = new S3Http(connections, READ_TIMEOUT,
                "https".equalsIgnoreCase(endpoint.getScheme()) ? CaBundle.socketFactory(settings) : null);
    }

    /** One object of a listing page. */
    record Listed(String key, long sizeBytes, String etag) {
    }

    /** A ListObjectsV2 page; {@code nextToken} is null on the last. */
    record Page(List<Listed> objects, String nextToken) {
    }

    /** What HEAD says of an object; checksum values are base64 as S3 sends them, null when absent. */
    record Head(long sizeBytes, String etag, String crc64nvme, String crc32c, String sha256, String checksumType,
                String serverSideEncryption) {
    }

    Page list(S3Location location, String continuationToken) {
        return list(location, continuationToken, 1000);
    }

    Page list(S3Location location, String continuationToken, int maxKeys) {
        Map<String, String> query = new TreeMap<>();
        query.put("list-type", "2");
        query.put("max-keys", Integer.toString(maxKeys));
        query.put("prefix", location.prefix());
        if (continuationToken != null) {
            query.put("continuation-token", continuationToken);
        }
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=').append(encode(v, true)));
        S3Http.Response response = send("GET", location.bucket(), "", q.toString(), List.of(), location.toString());
        return ListingXml.parse(response.body());
    }

    /**
     * HEAD with {@code x-amz-checksum-mode: ENABLED}, so that S3 reports full-object checksums. A store that does
     * not implement it (S3Proxy without ignore-unknown-headers answers 501; others 400 NotImplemented or
     * InvalidArgument, a HEAD carrying no body to say which) is asked again without it; when that succeeds, the rest
     * of the run leaves the header out.
     */
    Head head(String bucket, String key) {
        String what = "s3://" + bucket + "/" + key;
        S3Http.Response r;
        if (checksumMode.get().unsupported()) {
            r = send("HEAD", bucket, key, "", List.of(), what);
        } else {
            r = sendRaw("HEAD", bucket, key, "", List.of(new HttpHeader("x-amz-checksum-mode", "ENABLED")), what);
            if (r.status() == 501 || r.status() == 400) {
                S3Http.Response plain = send("HEAD", bucket, key, "", List.of(), what);
                String refusal = "HTTP " + r.status() + Optional.ofNullable(ListingXml.error(r.body()).code()).map(c -> " " + c).orElse("");
                checksumMode.updateAndGet(m -> m.unsupported() ? m : ChecksumMode.unsupported(refusal));
                r = plain;
            } else if (r.status() / 100 != 2) {
                throw failure(r, what);
            } else {
                checksumMode.compareAndSet(ChecksumMode.UNUSED, ChecksumMode.ENABLED);
            }
        }
        String length = r.header("content-length");
        return new Head(length == null ? 0 : Long.parseLong(length), RemoteObject.unquote(r.header("etag")),
                r.header("x-amz-checksum-crc64nvme"), r.header("x-amz-checksum-crc32c"), r.header("x-amz-checksum-sha256"),
                r.header("x-amz-checksum-type"), r.header("x-amz-server-side-encryption"));
    }

    /** What this run learnt about the store's checksum mode. */
    ChecksumMode checksumMode() {
        return checksumMode.get();
    }

    byte[] get(String bucket, String key) {
        return send("GET", bucket, key, "", List.of(), "s3://" + bucket + "/" + key).body();
    }

    /**
     * GETs {@code bytes=start-endInclusive} of the object if it still has the ETag, streamed into {@code file}
     * at {@code start} and fed to {@code checksum} (unless null). The future fails with a
     * {@link ChatbotctlException}.
     */
    CompletableFuture<Void> getRangeToFile(String bucket, String key, long start, long endInclusive, String etag, PartFile file,
                                           Checksum checksum) {
        String what = "s3://" + bucket + "/" + key;
        List<HttpHeader> headers = List.of(new HttpHeader("Range", "bytes=" + start + "-" + endInclusive),
                new HttpHeader("If-Match", "\"" + etag + "\""));
        return http.getToFile(() -> sign("GET", bucket, key, "", headers), file, start, endInclusive - start + 1, checksum)
                .handle((response, error) -> {
                    if (error != null) {
                        throw failure(error, what);
                    }
                    if (response.body() != null) {
                        throw failure(response, what);
                    }
                    return null;
                });
    }

    private S3Http.Response send(String method, String bucket, String key, String query, List<HttpHeader> headers,
                                 String what) {
        S3Http.Response response = sendRaw(method, bucket, key, query, headers, what);
        if (response.status() / 100 != 2) {
            throw failure(response, what);
        }
        return response;
    }

    /** The answer whatever its status; only a failure to get one throws. */
    private S3Http.Response sendRaw(String method, String bucket, String key, String query, List<HttpHeader> headers,
                                    String what) {
        try {
            return http.send(() -> sign(method, bucket, key, query, headers));
        } catch (IOException | RuntimeException e) {
            throw failure(e, what);
        }
    }

    private S3Http.Request sign(String method, String bucket, String key, String query, List<HttpHeader> extra) {
        HttpRequest signed;
        try (AwsSigningConfig config = signing.clone()) {
            config.setTime(System.currentTimeMillis());
            signed = AwsSigner.signRequest(request(method, bucket, key, query, extra), config).join();
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (HttpHeader h : signed.getHeaders()) {
            headers.add(Map.entry(h.getName(), h.getValue()));
        }
        boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
        int port = endpoint.getPort() >= 0 ? endpoint.getPort() : https ? 443 : 80;
        return new S3Http.Request(method, https, host(bucket), port, signed.getEncodedPath(), headers);
    }

    /** Path-style for custom endpoints and for bucket names with dots (TLS wildcards cover one label only). */
    private boolean pathStyle(String bucket) {
        return pathStyle || bucket.contains(".");
    }

    private String host(String bucket) {
        return pathStyle(bucket) ? endpoint.getHost() : bucket + "." + endpoint.getHost();
    }

    private HttpRequest request(String method, String bucket, String key, String query, List<HttpHeader> extra) {
        String path = pathStyle(bucket) ? "/" + bucket + (key.isEmpty() ? "" : "/" + encode(key, false)) : "/" + encode(key, false);
        List<HttpHeader> headers = new ArrayList<>(extra.size() + 1);
        headers.add(new HttpHeader("Host", hostHeader(host(bucket))));
        headers.addAll(extra);
        return new HttpRequest(method, path + query, headers.toArray(HttpHeader[]::new), null);
    }

    private String hostHeader(String host) {
        int port = endpoint.getPort();
        boolean defaultPort = port < 0 || (port == 443 && "https".equalsIgnoreCase(endpoint.getScheme()))
                || (port == 80 && "http".equalsIgnoreCase(endpoint.getScheme()));
        return defaultPort ? host : host + ":" + port;
    }

    /** RFC 3986 percent-encoding as SigV4 wants it; {@code /} stays in paths, and is encoded in query values. */
    static String encode(String value, boolean queryValue) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !queryValue)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static ChatbotctlException failure(S3Http.Response response, String what) {
        ListingXml.ErrorBody error = ListingXml.error(response.body());
        return S3Errors.status(response.status(), error.code(), error.message(), what, null);
    }

    private static ChatbotctlException failure(Throwable error, String what) {
        Throwable t = S3Errors.unwrap(error);
        if (t instanceof S3Http.FileWriteException write) {
            return new InvalidInputException("cannot write " + what + " to disk: " + write.getCause().getMessage(),
                    "check free space and permissions of the destination", write);
        }
        if (t instanceof S3Http.ReadTimeoutException) {
            return new ExternalSystemException("S3 stopped answering for " + what + " (" + t.getMessage() + ")",
                    "check --endpoint-url and the network, then run again to resume");
        }
        if (t instanceof SSLHandshakeException) {
            return new ExternalSystemException("TLS handshake with S3 failed for " + what + ": " + t.getMessage(),
                    "for an endpoint with a private CA set " + CaBundle.VARIABLE + " to its PEM bundle");
        }
        if (t instanceof S3Http.RangeIgnoredException) {
            return new ExternalSystemException("the store ignores byte ranges: " + what + ": " + t.getMessage(),
                    "use a --part-size of at least the largest file's size, so that each file is fetched in one GET");
        }
        if (t instanceof S3Http.UnexpectedAnswerException) {
            return new ExternalSystemException("S3 sent an unexpected answer for " + what + ": " + t.getMessage(),
                    "check that --endpoint-url is an S3 API endpoint (byte ranges supported)");
        }
        if (t instanceof IOException) {
            return new ExternalSystemException("cannot reach S3 for " + what + ": " + t.getMessage(),
                    "check --endpoint-url, --region and the network");
        }
        return S3Errors.translate(t, what);
    }

    /** Here, not on a CRT thread at the first signature, so that missing credentials are one clear line (exit 4). */
    private static void resolveNow(AwsCredentialsProvider provider) {
        try {
            provider.resolveCredentials();
        } catch (RuntimeException e) {
            throw S3Errors.translate(e, "S3");
        }
    }

    private static Credentials crtCredentials(AwsCredentials c) {
        byte[] token = c instanceof AwsSessionCredentials s ? s.sessionToken().getBytes(StandardCharsets.UTF_8) : null;
        return new Credentials(c.accessKeyId().getBytes(StandardCharsets.UTF_8),
                c.secretAccessKey().getBytes(StandardCharsets.UTF_8), token);
    }

    @Override
    public void close() {
        http.close();
        signing.close();
        credentials.close();
    }
}
