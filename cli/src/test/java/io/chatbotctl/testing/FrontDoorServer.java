package io.chatbotctl.testing;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible endpoint behind an API key, as clients meet the chatbot behind {@code chatbotctl proxy}: every
 * {@code /v1} request without {@code Authorization: Bearer KEY} gets a 401 with an OpenAI-shaped error. It answers
 * {@code /v1/models} and chat completions (streamed or not) with a short fixed answer, and records what each request
 * carried. A second port serves {@code /metrics} (vLLM's names), as the proxy's metrics port does.
 */
public final class FrontDoorServer implements AutoCloseable {
    public static final String MODEL = "support-model";
    private static final String METRICS = """
            # TYPE vllm:num_requests_waiting gauge
            vllm:num_requests_waiting{model_name="support-model"} 0.0
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{model_name="support-model"} 1.0
            """;

    /** One request as the server received it: method and path, and its Authorization header (null when absent). */
    public record Seen(String requestLine, String authorization) {}

    private final String key;
    private final MockWebServer api = new MockWebServer();
    private final MockWebServer metrics = new MockWebServer();
    private final List<Seen> apiRequests = new CopyOnWriteArrayList<>();
    private final List<Seen> metricsRequests = new CopyOnWriteArrayList<>();

    public FrontDoorServer(String key) throws IOException {
        this.key = key;
        api.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                apiRequests.add(new Seen(request.getMethod() + " " + request.getPath(), request.getHeader("Authorization")));
                return answer(request);
            }
        });
        metrics.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                metricsRequests.add(new Seen(request.getMethod() + " " + request.getPath(), request.getHeader("Authorization")));
                return new MockResponse().setHeader("Content-Type", "text/plain; version=0.0.4").setBody(METRICS);
            }
        });
        api.start(InetAddress.getLoopbackAddress(), 0);
        metrics.start(InetAddress.getLoopbackAddress(), 0);
    }

    private MockResponse answer(RecordedRequest request) {
        if (!("Bearer " + key).equals(request.getHeader("Authorization"))) {
            return json(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                    + "\"param\":null,\"code\":\"invalid_api_key\"}}");
        }
        String path = request.getPath() == null ? "" : request.getPath();
        if (path.endsWith("/v1/models")) {
            return json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}");
        }
        if (!path.endsWith("/v1/chat/completions")) {
            return json(404, "{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}");
        }
        if (request.getBody().readUtf8().contains("\"stream\":true")) {
            return new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(
                    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,"
                            + "\"delta\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":null}]}\n\n"
                            + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,"
                            + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                            + "data: [DONE]\n\n");
        }
        return json(200, "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"total_tokens\":11}}");
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    /** The OpenAI base URL, {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return api.url("/v1").toString();
    }

    /** The metrics port's {@code /metrics}. */
    public String metricsUrl() {
        return metrics.url("/metrics").toString();
    }

    public List<Seen> apiRequests() {
        return List.copyOf(apiRequests);
    }

    public List<Seen> metricsRequests() {
        return List.copyOf(metricsRequests);
    }

    @Override
    public void close() throws IOException {
        api.shutdown();
        metrics.shutdown();
    }
}
