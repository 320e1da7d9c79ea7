package io.chatbotctl.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** A plain JDK HTTP client for the tests: JSON posts, and SSE streams with the arrival time of every event. */
final class SimHttp {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One SSE event: its data and the nanoTime it arrived. */
    record Event(String data, long nanos) {
    }

    /** A streamed answer: status, the request's send time and its events (empty when the status is not 200). */
    record Stream(int status, long sentNanos, List<Event> events, String error) {
    }

    private SimHttp() {}

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return CLIENT.send(request(url, json), HttpResponse.BodyHandlers.ofString());
    }

    static Stream stream(String url, String json) throws IOException, InterruptedException {
        long sent = System.nanoTime();
        HttpResponse<InputStream> r = CLIENT.send(request(url, json), HttpResponse.BodyHandlers.ofInputStream());
        List<Event> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            if (r.statusCode() != 200) {
                StringBuilder sb = new StringBuilder();
                in.lines().forEach(sb::append);
                return new Stream(r.statusCode(), sent, events, sb.toString());
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    events.add(new Event(line.substring(6), System.nanoTime()));
                }
            }
        } catch (IOException e) {
            return new Stream(r.statusCode(), sent, events, e.toString());
        }
        return new Stream(r.statusCode(), sent, events, null);
    }

    /** A stream read asynchronously (no thread per stream), for many concurrent streams. */
    static CompletableFuture<Stream> streamAsync(HttpClient client, String url, String json) {
        long sent = System.nanoTime();
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        return client.sendAsync(request(url, json), HttpResponse.BodyHandlers.fromLineSubscriber(
                        new Flow.Subscriber<String>() {
                            public void onSubscribe(Flow.Subscription s) {
                                s.request(Long.MAX_VALUE);
                            }

                            public void onNext(String line) {
                                if (line.startsWith("data: ")) {
                                    events.add(new Event(line.substring(6), System.nanoTime()));
                                }
                            }

                            public void onError(Throwable t) {
                            }

                            public void onComplete() {
                            }
                        }))
                .handle((r, t) -> new Stream(r == null ? 0 : r.statusCode(), sent, List.copyOf(events),
                        t == null ? null : t.toString()));
    }

    private static HttpRequest request(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    static String chat(String message, int maxTokens, boolean stream) {
        return "{\"model\":\"" + SimConfig.DEFAULT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + message + "\"}]" + (maxTokens > 0 ? ",\"max_tokens\":" + maxTokens : "") + ",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }
}
