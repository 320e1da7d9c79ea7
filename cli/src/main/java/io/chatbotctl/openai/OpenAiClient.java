package io.chatbotctl.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.HttpClients;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;
import io.chatbotctl.core.RetryPolicy;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;

/**
 * A client of an OpenAI-compatible server (vLLM, the simulator): chat completions streamed and not, text
 * completions, and {@code /v1/models}. Streams are parsed as they arrive, each chunk stamped with
 * {@link System#nanoTime()} when read; a stream that ends without {@code [DONE]} is a failure, never a success.
 */
public final class OpenAiClient {
    private static final MediaType JSON = MediaType.get("application/json");

    private final String baseUrl;
    private final String apiKey;
    private final OkHttpClient http;
    private final Map<String, String> headers;

    private OpenAiClient(String baseUrl, String apiKey, OkHttpClient http, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.http = http;
        this.headers = headers;
    }

    /**
     * @param endpoint    an OpenAI base URL ({@code http://host:8000/v1}); a URL without {@code /v1} is completed
     * @param apiKey      sent as a bearer token when not null
     * @param readTimeout longest silence within a response (time to first byte, and between chunks)
     */
    public static OpenAiClient create(String endpoint, String apiKey, Duration readTimeout) {
        OkHttpClient http = HttpClients.shared().newBuilder().readTimeout(readTimeout).build();
        return new OpenAiClient(baseUrl(endpoint), apiKey, http, Map.of());
    }

    public static OpenAiClient create(String endpoint, String apiKey) {
        return create(endpoint, apiKey, Duration.ofSeconds(60));
    }

    /** {@code http://host:8000}, {@code http://host:8000/} and {@code http://host:8000/v1/} all become {@code http://host:8000/v1}. */
    public static String baseUrl(String endpoint) {
        String url = endpoint.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (HttpUrl.parse(url) == null) {
            throw new InvalidInputException("endpoint '" + endpoint + "' is not an http(s) URL",
                    "write an OpenAI base URL such as http://host:8000/v1");
        }
        return url.endsWith("/v1") ? url : url + "/v1";
    }

    /** The API key from {@code CHATBOTCTL_API_KEY}, else {@code OPENAI_API_KEY}; null when neither is set. */
    public static String apiKey(Map<String, String> environment) {
        String key = environment.get("CHATBOTCTL_API_KEY");
        if (key == null || key.isBlank()) {
            key = environment.get("OPENAI_API_KEY");
        }
        return key == null || key.isBlank() ? null : key;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * A client sharing this one's connections that adds the given headers to every request (e.g. {@code X-Canary:
     * always} to route test traffic); they add to, and override, this client's own extra headers.
     */
    public OpenAiClient withHeaders(Map<String, String> extraHeaders) {
        Map<String, String> merged = new java.util.LinkedHashMap<>(headers);
        merged.putAll(extraHeaders);
        return new OpenAiClient(baseUrl, apiKey, http, Map.copyOf(merged));
    }

    /** The extra headers sent with every request. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Model ids from {@code GET /v1/models}, in the server's order. */
    public List<String> models() {
        List<String> ids = new ArrayList<>();
        modelCards().forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    /** The model objects of {@code GET /v1/models} as the server wrote them (vLLM adds root, parent, max_model_len). */
    public List<JsonNode> modelCards() {
        JsonNode node = ChunkParser.parse(execute(request("/models").get().build()));
        List<JsonNode> cards = new ArrayList<>();
        node.path("data").forEach(cards::add);
        return cards;
    }

    /**
     * Embedding vectors from {@code POST /v1/embeddings}, one per input in the inputs' order (the answer's
     * {@code index} decides, not its order). A server without embeddings answers 404: an HTTP_STATUS failure.
     */
    public List<double[]> embeddings(String model, List<String> inputs) {
        ObjectNode body = Json.mapper().createObjectNode();
        if (model != null) {
            body.put("model", model);
        }
        ArrayNode input = body.putArray("input");
        inputs.forEach(input::add);
        JsonNode node = ChunkParser.parse(execute(post("/embeddings", body)));
        double[][] vectors = new double[inputs.size()][];
        int position = 0;
        for (JsonNode item : node.path("data")) {
            int index = item.has("index") ? item.get("index").asInt() : position;
            JsonNode embedding = item.path("embedding");
            if (index < 0 || index >= vectors.length || !embedding.isArray() || embedding.isEmpty()) {
                throw new OpenAiException(OpenAiException.Kind.MALFORMED_STREAM, 0,
                        baseUrl + "/embeddings answered an item without a usable index and embedding", null);
            }
            double[] vector = new double[embedding.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = embedding.get(i).asDouble();
            }
            vectors[index] = vector;
            position++;
        }
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] == null) {
                throw new OpenAiException(OpenAiException.Kind.MALFORMED_STREAM, 0,
                        baseUrl + "/embeddings answered no embedding for input " + i, null);
            }
        }
        return List.of(vectors);
    }

    /** A non-streaming chat completion. */
    public ChatCompletion chat(ChatRequest request) {
        return ChunkParser.completion(execute(post("/chat/completions", chatBody(request, false))));
    }

    /** A streamed chat completion, read to {@code [DONE]} on the calling thread. */
    public StreamResult streamChat(ChatRequest request, StreamListener listener) {
        return stream("/chat/completions", chatBody(request, true), listener);
    }

    /** Like {@link #streamChat} but on OkHttp's dispatcher threads; the future fails with an {@link OpenAiException}. */
    public CompletableFuture<StreamResult> streamChatAsync(ChatRequest request, StreamListener listener) {
        return streamAsync("/chat/completions", chatBody(request, true), listener);
    }

    /** Streams any completion endpoint ({@code /chat/completions}, {@code /completions}) with the given JSON body. */
    public StreamResult stream(String path, ObjectNode body, StreamListener listener) {
        long start = System.nanoTime();
        listener.onSend(start);
        Call call = http.newCall(post(path, body));
        try (Response response = call.execute()) {
            try {
                return readStream(response, listener, start);
            } catch (IOException e) {
                throw failure(e, true);
            }
        } catch (IOException e) {
            throw failure(e, false);
        }
    }

    public CompletableFuture<StreamResult> streamAsync(String path, ObjectNode body, StreamListener listener) {
        CompletableFuture<StreamResult> future = new CompletableFuture<>();
        long start = System.nanoTime();
        listener.onSend(start);
        Call call = http.newCall(post(path, body));
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                future.completeExceptionally(failure(e, false));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    future.complete(readStream(response, listener, start));
                } catch (IOException e) {
                    future.completeExceptionally(failure(e, true));
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }
        });
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
        });
        return future;
    }

    /** The JSON body of a chat request; {@code stream} decides between a stream and a whole answer. */
    public static ObjectNode chatBody(ChatRequest request, boolean stream) {
        ObjectNode body = Json.mapper().createObjectNode();
        if (request.model() != null) {
            body.put("model", request.model());
        }
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.seed() != null) {
            body.put("seed", request.seed());
        }
        body.put("stream", stream);
        if (stream && request.includeUsage()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        request.extra().forEach((k, v) -> body.set(k, Json.mapper().valueToTree(v)));
        return body;
    }

    private StreamResult readStream(Response response, StreamListener listener, long start) throws IOException {
        ResponseBody responseBody = response.body();
        if (!response.isSuccessful()) {
            throw httpError(response.code(), responseBody == null ? "" : responseBody.string(), response.header("Retry-After"));
        }
        listener.onOpen(System.nanoTime());
        StreamAssembly stream = new StreamAssembly(baseUrl, listener, start);
        SseParser events = new SseParser(stream);
        BufferedSource source = responseBody.source();
        byte[] buffer = new byte[8192];
        while (stream.result() == null) {
            int n = source.read(buffer);
            if (n < 0) {
                throw stream.endedWithoutDone();
            }
            events.feed(buffer, 0, n, System.nanoTime());
        }
        return stream.result();
    }

    private String execute(Request request) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw httpError(response.code(), body, response.header("Retry-After"));
            }
            return body;
        } catch (IOException e) {
            throw failure(e, false);
        }
    }

    private OpenAiException httpError(int status, String body, String retryAfter) {
        return httpError(baseUrl, status, body, retryAfter);
    }

    /**
     * A non-2xx answer, with the server's message from an OpenAI or vLLM error body when it sent one.
     *
     * @param retryAfter the answer's {@code Retry-After} header, or null
     */
    static OpenAiException httpError(String baseUrl, int status, String body, String retryAfter) {
        String message = body;
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node != null && node.isObject()) {
                message = ChunkParser.errorMessage(node);
            }
        } catch (IOException notJson) {
            // the body is shown as text
        }
        message = message == null || message.isBlank() ? "(no message)" : ChunkParser.abbreviate(message.strip());
        return new OpenAiException(OpenAiException.Kind.HTTP_STATUS, status,
                baseUrl + " answered HTTP " + status + ": " + message, null,
                RetryPolicy.retryAfter(retryAfter, java.time.Clock.systemUTC()));
    }

    private OpenAiException failure(IOException e, boolean midStream) {
        return failure(baseUrl, e, midStream);
    }

    /** An I/O failure as the kind callers count: CONNECT, TIMEOUT or CONNECTION_LOST. */
    static OpenAiException failure(String baseUrl, IOException e, boolean midStream) {
        if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
            return new OpenAiException(OpenAiException.Kind.CONNECT, 0, "cannot reach " + baseUrl + ": " + e.getMessage(), e);
        }
        if (e instanceof SSLHandshakeException) {
            return new OpenAiException(OpenAiException.Kind.CONNECT, 0, "TLS with " + baseUrl + " failed: " + e.getMessage(), e);
        }
        if (e instanceof SocketTimeoutException || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()))) {
            return new OpenAiException(OpenAiException.Kind.TIMEOUT, 0, "timed out waiting for " + baseUrl, e);
        }
        return new OpenAiException(OpenAiException.Kind.CONNECTION_LOST, 0,
                (midStream ? "stream from " : "connection to ") + baseUrl + " lost: " + e, e);
    }

    private Request.Builder request(String path) {
        Request.Builder builder = new Request.Builder().url(baseUrl + path);
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(builder::header);
        return builder;
    }

    private Request post(String path, ObjectNode body) {
        return request(path).post(RequestBody.create(body.toString(), JSON)).build();
    }
}
