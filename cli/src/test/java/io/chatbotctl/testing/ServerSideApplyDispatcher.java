package io.chatbotctl.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fabric8's CRUD dispatcher plus what a real API server does and the stock one answers with 415 or ignores:
 * <ul>
 *   <li><b>server-side apply</b> ({@code PATCH} with {@code Content-Type: application/apply-patch+yaml}): creates the
 *   object when absent; when present, removes the fields this field manager applied last time and no longer applies,
 *   then merges the applied configuration in (maps merge, lists and scalars replace). Fields set by other managers
 *   (e.g. {@code spec.replicas} by a scale, {@code status} by a controller) stay. {@code metadata.managedFields} gets
 *   an entry per manager. Generation and resourceVersion are bumped by the stock update path.</li>
 *   <li><b>{@code ?dryRun=All}</b> on apply, create, update and delete: the answer the real call would give, nothing stored.</li>
 *   <li><b>the service proxy</b> ({@code /api/v1/namespaces/NS/services/NAME:PORT/proxy/...}): passed on to the upstream
 *   registered in {@link #serviceProxies()}, with the API server's 403, 404 and 503 answers; see {@link ServiceProxies}.</li>
 * </ul>
 * JSON merge patches and JSON patches are handled by the stock dispatcher.
 */
public class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {
    private static final String APPLY_PATCH = "application/apply-patch+yaml";

    /** Answers for paths a CRUD store cannot give (aggregated APIs, reviews), added by {@link #route}; first match wins. */
    private final java.util.List<Route> routes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private record Route(String method, String pathPrefix, java.util.function.Function<RecordedRequest, MockResponse> handler) {
    }

    /**
     * Answers {@code method} requests whose path (query included) starts with {@code pathPrefix} with {@code handler}
     * instead of the CRUD store, e.g. SelfSubjectAccessReviews or the custom metrics API.
     */
    public void route(String method, String pathPrefix, java.util.function.Function<RecordedRequest, MockResponse> handler) {
        routes.add(0, new Route(method, pathPrefix, handler));
    }

    /** Last applied configuration per object path and field manager. */
    private final Map<String, ObjectNode> lastApplied = new ConcurrentHashMap<>();
    private final ServiceProxies serviceProxies = new ServiceProxies();

    /** The Services whose proxy this API server serves, and where each leads. */
    public ServiceProxies serviceProxies() {
        return serviceProxies;
    }

    @Override
    public void reset() {
        super.reset();
        lastApplied.clear();
        routes.clear();
        serviceProxies.reset();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        for (Route route : routes) {
            if (route.method().equalsIgnoreCase(request.getMethod()) && request.getPath().startsWith(route.pathPrefix())) {
                return route.handler().apply(request);
            }
        }
        String contentType = request.getHeader("Content-Type");
        if (ServiceProxies.matches(request.getPath())) {
            return serviceProxies.dispatch(request, path -> super.handleGet(path).code() == 200);
        }
        boolean dryRun = query(request.getPath(), "dryRun") != null;
        if ("PATCH".equalsIgnoreCase(request.getMethod()) && contentType != null && contentType.startsWith(APPLY_PATCH)) {
            return apply(request, dryRun);
        }
        if (dryRun) {
            return dryRunOther(request);
        }
        return super.dispatch(request);
    }

    private synchronized MockResponse apply(RecordedRequest request, boolean dryRun) {
        String path = withoutQuery(request.getPath());
        String manager = query(request.getPath(), "fieldManager");
        if (manager == null) {
            return status(400, "BadRequest", "fieldManager is required for apply patch");
        }
        ObjectNode applied = (ObjectNode) readTree(request.getUtf8Body());
        applied.remove("status");
        MockResponse existing = super.handleGet(path);
        if (existing.code() == 404) {
            ObjectNode created = applied.deepCopy();
            ObjectNode metadata = created.with("metadata");
            String[] segments = path.split("/");
            metadata.put("name", segments[segments.length - 1]);
            int ns = List.of(segments).indexOf("namespaces");
            if (ns >= 0 && ns + 2 < segments.length) {
                metadata.put("namespace", segments[ns + 1]);
            }
            setManagedFields(metadata, manager);
            if (dryRun) {
                metadata.put("uid", UUID.randomUUID().toString());
                metadata.put("creationTimestamp", Instant.now().toString());
                metadata.put("generation", 1);
                return json(201, created);
            }
            String collection = path.substring(0, path.lastIndexOf('/'));
            MockResponse response = super.handleCreate(request(HttpMethod.POST, collection, created));
            if (response.code() < 300) {
                lastApplied.put(path + "|" + manager, applied);
            }
            return response;
        }
        ObjectNode live = (ObjectNode) readTree(existing.getBody().readUtf8());
        ObjectNode previous = lastApplied.get(path + "|" + manager);
        ObjectNode merged = live.deepCopy();
        if (previous != null) {
            removeDropped(merged, previous, applied);
        }
        mergeInto(merged, applied);
        ObjectNode metadata = merged.with("metadata");
        metadata.set("resourceVersion", live.path("metadata").path("resourceVersion"));
        setManagedFields(metadata, manager);
        if (dryRun) {
            return json(200, merged);
        }
        MockResponse response = super.handleUpdate(request(HttpMethod.PUT, path, merged));
        if (response.code() < 300) {
            lastApplied.put(path + "|" + manager, applied);
        }
        return response;
    }

    private MockResponse dryRunOther(RecordedRequest request) {
        String path = withoutQuery(request.getPath());
        return switch (request.getMethod().toUpperCase()) {
            case "POST", "PUT" -> new MockResponse().setResponseCode(200).setBody(request.getUtf8Body());
            case "PATCH" -> super.handleGet(path);
            case "DELETE" -> super.handleGet(path);
            default -> super.dispatch(request);
        };
    }

    /** Removes from {@code target} the fields present in {@code previous} but absent from {@code applied}. */
    static void removeDropped(ObjectNode target, ObjectNode previous, ObjectNode applied) {
        for (Iterator<Map.Entry<String, JsonNode>> it = previous.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode now = applied.get(name);
            if (now == null) {
                if (!"metadata".equals(name)) {
                    target.remove(name);
                }
            } else if (field.getValue().isObject() && now.isObject() && target.get(name) instanceof ObjectNode child) {
                removeDropped(child, (ObjectNode) field.getValue(), (ObjectNode) now);
            }
        }
    }

    /** Maps merge recursively; lists and scalars from {@code applied} replace. */
    static void mergeInto(ObjectNode target, ObjectNode applied) {
        for (Iterator<Map.Entry<String, JsonNode>> it = applied.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode current = target.get(field.getKey());
            if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode appliedObject) {
                mergeInto(currentObject, appliedObject);
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static void setManagedFields(ObjectNode metadata, String manager) {
        ArrayNode managed = metadata.has("managedFields") && metadata.get("managedFields").isArray()
                ? (ArrayNode) metadata.get("managedFields") : metadata.putArray("managedFields");
        for (Iterator<JsonNode> it = managed.elements(); it.hasNext(); ) {
            if (manager.equals(it.next().path("manager").asText())) {
                it.remove();
            }
        }
        ObjectNode entry = managed.addObject();
        entry.put("manager", manager);
        entry.put("operation", "Apply");
        entry.put("time", Instant.now().toString());
    }

    private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        return new RecordedRequest("HTTP/1.1", method, path, headers,
                new Buffer(body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body.toString());
    }

    private static MockResponse status(int code, String reason, String message) {
        ObjectNode status = Json.mapper().createObjectNode();
        status.put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
                .put("reason", reason).put("message", message).put("code", code);
        return json(code, status);
    }

    private static JsonNode readTree(String text) {
        try {
            return Json.yaml().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("apply patch body is not YAML/JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String withoutQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    static String query(String path, String name) {
        int q = path.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : path.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
