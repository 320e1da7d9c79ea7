package io.chatbotctl.modelsync;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExternalSystemException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.crt.auth.credentials.Credentials;
import software.amazon.awssdk.crt.auth.credentials.CredentialsProvider;
import software.amazon.awssdk.crt.auth.credentials.DelegateCredentialsProvider;
import software.amazon.awssdk.crt.auth.signing.AwsSigningConfig;
import software.amazon.awssdk.crt.http.HttpHeader;
import software.amazon.awssdk.crt.http.HttpRequest;
import software.amazon.awssdk.crt.io.ClientBootstrap;
import software.amazon.awssdk.crt.io.EventLoopGroup;
import software.amazon.awssdk.crt.io.HostResolver;
import software.amazon.awssdk.crt.io.TlsContext;
import software.amazon.awssdk.crt.s3.S3Client;
import software.amazon.awssdk.crt.s3.S3ClientOptions;
import software.amazon.awssdk.crt.s3.S3FinishedResponseContext;
import software.amazon.awssdk.crt.s3.S3MetaRequest;
import software.amazon.awssdk.crt.s3.S3MetaRequestOptions;
import software.amazon.awssdk.crt.s3.S3MetaRequestResponseHandler;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads S3 with aws-crt's own client, not through the SDK: listing pages, HEAD, small GETs into memory, and ranged
 * GETs that the CRT writes straight into a file at their offset (the SDK's CRT client cannot write a range at a
 * position, and its Java body path copies every part into the heap). Path-style addressing for
 * {@code --endpoint-url}, virtual-hosted for AWS.
 */
final class S3Reader implements AutoCloseable {
    private final EventLoopGroup events;
    private final HostResolver resolver;
    private final ClientBootstrap bootstrap;
    private final TlsContext tls;
    private final CredentialsProvider credentials;
    private final S3Client client;
    private final URI endpoint;
    private final boolean pathStyle;
    private final String region;

    /**
     * @param partSizeBytes the largest single GET the client makes
     * @param connections   the CRT's connection budget
     */
    S3Reader(S3Settings settings, long partSizeBytes, int connections) {
        CrtRuntime.prepare();
        this.region = settings.resolvedRegion();
        String custom = settings.resolvedEndpoint();
        this.pathStyle = custom != null;
        this.endpoint = custom != null ? S3Clients.endpointUri(custom) : URI.create("https://s3." + region + ".amazonaws.com");
        AwsCredentialsProvider sdkCredentials = S3Clients.credentials(settings);
        resolveNow(sdkCredentials);
        this.credentials = new DelegateCredentialsProvider.DelegateCredentialsProviderBuilder()
                .withHandler(() -> crtCredentials(sdkCredentials.resolveCredentials())).build();
        this.events = new EventLoopGroup(0);
        this.resolver = new HostResolver(events);
        this.bootstrap = new ClientBootstrap(events, resolver);
        this.tls = "https".equalsIgnoreCase(endpoint.getScheme()) ? new TlsContext() : null;
        S3ClientOptions options = new S3ClientOptions().withRegion(region).withClientBootstrap(bootstrap)
                .withSigningConfig(AwsSigningConfig.getDefaultS3SigningConfig(region, credentials))
                .withPartSize(partSizeBytes).withMaxConnections(connections);
        if (tls != null) {
            options.withTlsContext(tls);
        }
        this.client = new S3Client(options);
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
        Response response = send("GET", location.bucket(), "", q.toString(), List.of(), "ListObjectsV2", location.toString());
        return ListingXml.parse(response.body());
    }

    Head head(String bucket, String key) {
        Response r = send("HEAD", bucket, key, "", List.of(new HttpHeader("x-amz-checksum-mode", "ENABLED")),
                "HeadObject", "s3://" + bucket + "/" + key);
        String length = r.header("content-length");
        return new Head(length == null ? 0 : Long.parseLong(length), RemoteObject.unquote(r.header("etag")),
                r.header("x-amz-checksum-crc64nvme"), r.header("x-amz-checksum-crc32c"), r.header("x-amz-checksum-sha256"),
                r.header("x-amz-checksum-type"), r.header("x-amz-server-side-encryption"));
    }

    byte[] get(String bucket, String key) {
        return send("GET", bucket, key, "", List.of(), "GetObject", "s3://" + bucket + "/" + key).body();
    }

    /**
     * GETs {@code bytes=start-endInclusive} of the object if it still has the ETag, written by the CRT into
     * {@code file} (which must exist) at {@code start}. The future fails with a {@link ChatbotctlException}.
     */
    CompletableFuture<Void> getRangeToFile(String bucket, String key, long start, long endInclusive, String etag, Path file) {
        String uri = "s3://" + bucket + "/" + key;
        List<HttpHeader> headers = List.of(new HttpHeader("Range", "bytes=" + start + "-" + endInclusive),
                new HttpHeader("If-Match", "\"" + etag + "\""));
        CompletableFuture<Void> done = new CompletableFuture<>();
        S3MetaRequestOptions options = new S3MetaRequestOptions()
                .withMetaRequestType(S3MetaRequestOptions.MetaRequestType.GET_OBJECT)
                .withHttpRequest(request("GET", bucket, key, "", headers)).withEndpoint(endpointOf(bucket))
                .withResponseFilePath(file).withResponseFileOption(S3MetaRequestOptions.ResponseFileOption.WRITE_TO_POSITION)
                .withResponseFilePosition(start)
                .withResponseHandler(new S3MetaRequestResponseHandler() {
                    @Override
                    public void onFinished(S3FinishedResponseContext context) {
                        if (context.getErrorCode() == 0) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(failure(context, null, uri));
                        }
                    }
                });
        start(options, done);
        return done;
    }

    private Response send(String method, String bucket, String key, String query, List<HttpHeader> headers,
                          String operation, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Response response = new Response();
        S3MetaRequestOptions options = new S3MetaRequestOptions()
                .withMetaRequestType(S3MetaRequestOptions.MetaRequestType.DEFAULT).withOperationName(operation)
                .withHttpRequest(request(method, bucket, key, query, headers)).withEndpoint(endpointOf(bucket))
                .withResponseHandler(new S3MetaRequestResponseHandler() {
                    @Override
                    public void onResponseHeaders(int status, HttpHeader[] received) {
                        for (HttpHeader h : received) {
                            response.headers.put(h.getName().toLowerCase(Locale.ROOT), h.getValue());
                        }
                    }

                    @Override
                    public int onResponseBody(ByteBuffer bytes, long objectRangeStart, long objectRangeEnd) {
                        byte[] chunk = new byte[bytes.remaining()];
                        bytes.get(chunk);
                        response.body.write(chunk, 0, chunk.length);
                        return 0;
                    }

                    @Override
                    public void onFinished(S3FinishedResponseContext context) {
                        if (context.getErrorCode() == 0) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(failure(context, method.equals("HEAD") ? null : response.body.toByteArray(), what));
                        }
                    }
                });
        start(options, done);
        try {
            done.join();
        } catch (RuntimeException e) {
            throw S3Errors.translate(e, what);
        }
        return response;
    }

    private void start(S3MetaRequestOptions options, CompletableFuture<Void> done) {
        S3MetaRequest meta = client.makeMetaRequest(options);
        done.whenComplete((ok, error) -> meta.close());
    }

    /** Path-style for custom endpoints and for bucket names with dots (TLS wildcards cover one label only). */
    private boolean pathStyle(String bucket) {
        return pathStyle || bucket.contains(".");
    }

    private String host(String bucket) {
        return pathStyle(bucket) ? endpoint.getHost() : bucket + "." + endpoint.getHost();
    }

    /** Where the CRT connects (and what TLS checks the certificate against): the same host the Host header names. */
    private URI endpointOf(String bucket) {
        return URI.create(endpoint.getScheme() + "://" + hostHeader(host(bucket)));
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

    private ChatbotctlException failure(S3FinishedResponseContext context, byte[] body, String what) {
        int status = context.getResponseStatus();
        if (status == 0) {
            return new ExternalSystemException("cannot reach S3 for " + what + ": " + CRT.awsErrorString(context.getErrorCode()),
                    "check --endpoint-url, --region and the network");
        }
        byte[] payload = body != null && body.length > 0 ? body : context.getErrorPayload();
        ListingXml.ErrorBody error = ListingXml.error(payload);
        return S3Errors.status(status, error.code(), error.message(), what, null);
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
        client.close();
        credentials.close();
        if (tls != null) {
            tls.close();
        }
        bootstrap.close();
        resolver.close();
        events.close();
    }

    private static final class Response {
        final Map<String, String> headers = new TreeMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String header(String name) {
            return headers.get(name);
        }

        byte[] body() {
            return body.toByteArray();
        }
    }
}
