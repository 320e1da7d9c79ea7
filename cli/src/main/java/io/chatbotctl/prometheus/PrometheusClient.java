package io.chatbotctl.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.HttpClients;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prometheus' HTTP API: instant and range queries ({@code /api/v1/query}, {@code /api/v1/query_range}). */
public final class PrometheusClient {
    private final HttpUrl baseUrl;
    private final OkHttpClient http;

    /**
     * @param baseUrl Prometheus' base URL, e.g. {@code http://prometheus:9090}
     * @param timeout the longest a query may take, also sent to Prometheus as {@code timeout}
     */
    public PrometheusClient(String baseUrl, Duration timeout) {
        HttpUrl url = HttpUrl.parse(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        if (url == null) {
            throw new InvalidInputException("'" + baseUrl + "' is not a Prometheus URL", "pass --prometheus http://host:9090");
        }
        this.baseUrl = url;
        this.http = HttpClients.shared().newBuilder().callTimeout(timeout).readTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUrl.toString();
    }

    /** An instant query: a vector (one sample per series) or a scalar (one sample without labels). */
    public List<Sample> query(String promql, Instant time) {
        JsonNode data = get("api/v1/query", Map.of("query", promql, "time", seconds(time)));
        List<Sample> samples = new ArrayList<>();
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        if (type.equals("scalar")) {
            samples.add(new Sample(Map.of(), instant(result.get(0)), value(result.get(1))));
        } else if (type.equals("vector")) {
            for (JsonNode series : result) {
                JsonNode v = series.path("value");
                samples.add(new Sample(labels(series.path("metric")), instant(v.get(0)), value(v.get(1))));
            }
        }
        return samples;
    }

    /** A range query from {@code start} to {@code end} every {@code step}. */
    public List<Series> queryRange(String promql, Instant start, Instant end, Duration step) {
        JsonNode data = get("api/v1/query_range", Map.of("query", promql, "start", seconds(start),
                "end", seconds(end), "step", Double.toString(step.toMillis() / 1000.0)));
        List<Series> all = new ArrayList<>();
        for (JsonNode series : data.path("result")) {
            List<Series.Point> points = new ArrayList<>();
            for (JsonNode v : series.path("values")) {
                points.add(new Series.Point(instant(v.get(0)), value(v.get(1))));
            }
            all.add(new Series(labels(series.path("metric")), points));
        }
        return all;
    }

    private JsonNode get(String path, Map<String, String> params) {
        HttpUrl.Builder url = baseUrl.resolve(path).newBuilder();
        params.forEach(url::addQueryParameter);
        Request request = new Request.Builder().url(url.build()).get().build();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            JsonNode node = parse(body);
            if (node != null && "error".equals(node.path("status").asText())) {
                String message = node.path("errorType").asText() + ": " + node.path("error").asText();
                if ("bad_data".equals(node.path("errorType").asText())) {
                    throw new InvalidInputException("Prometheus rejected the query " + params.get("query") + ": " + message);
                }
                throw new ExternalSystemException("Prometheus at " + baseUrl + " failed: " + message);
            }
            if (!response.isSuccessful() || node == null) {
                throw new ExternalSystemException("Prometheus at " + baseUrl + " answered HTTP " + response.code());
            }
            return node.path("data");
        } catch (IOException e) {
            throw new ExternalSystemException("cannot reach Prometheus at " + baseUrl + ": " + e.getMessage(),
                    "check --prometheus (http://host:9090) and that Prometheus runs", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        metric.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static Instant instant(JsonNode seconds) {
        double s = seconds.asDouble();
        long whole = (long) Math.floor(s);
        return Instant.ofEpochSecond(whole, Math.round((s - whole) * 1e9));
    }

    /** Prometheus writes values as strings, including {@code NaN}, {@code +Inf} and {@code -Inf}. */
    private static double value(JsonNode node) {
        String text = node.asText();
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%d.%03d", t.getEpochSecond(), t.getNano() / 1_000_000);
    }
}
