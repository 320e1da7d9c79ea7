package io.chatbotctl.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;

import java.time.Instant;

/**
 * One access-log line: JSON on stdout, one per request. The key's name, never the key; bodies only with
 * {@code --log-bodies}, masked.
 *
 * @param ttftMillis      time from the request to its first content chunk written to the client, -1 when none
 * @param proxyMillis     time the proxy itself added (before the upstream and before the client)
 * @param errorType       null on success; else the OpenAI error code or type (e.g. {@code invalid_api_key})
 */
public record AccessRecord(Instant time, String requestId, String key, String client, String method, String path,
                           String model, boolean stream, int status, String errorType, String limit, long promptTokens,
                           long completionTokens, double ttftMillis, double durationMillis, double proxyMillis,
                           String requestBody, String responseBody) {

    String json() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("time", time.toString());
        n.put("requestId", requestId);
        n.put("key", key);
        n.put("client", client);
        n.put("method", method);
        n.put("path", path);
        n.put("model", model);
        n.put("stream", stream);
        n.put("status", status);
        n.put("errorType", errorType);
        if (limit != null) {
            n.put("limit", limit);
        }
        n.put("promptTokens", promptTokens);
        n.put("completionTokens", completionTokens);
        n.put("ttftMillis", round(ttftMillis));
        n.put("durationMillis", round(durationMillis));
        n.put("proxyMillis", round(proxyMillis));
        if (requestBody != null) {
            n.put("requestBody", requestBody);
        }
        if (responseBody != null) {
            n.put("responseBody", responseBody);
        }
        return n.toString();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
