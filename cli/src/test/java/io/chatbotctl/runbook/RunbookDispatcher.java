package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.chatbotctl.testing.ServerSideApplyDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared {@link ServerSideApplyDispatcher} (CRUD, apply, dry run) plus what the runbooks need and CRUD mode does
 * not model: expectations for container logs and exec (as fabric8's mixed dispatcher serves them), and the eviction
 * subresource, answered as the API server does: 429 when a PodDisruptionBudget selecting the pod allows no
 * disruption, else the pod is deleted (201). Records every request line, so tests can assert what was (not) changed.
 */
final class RunbookDispatcher extends Dispatcher {
    private static final Pattern EVICTION = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/eviction");

    private final Dispatcher delegate = new ServerSideApplyDispatcher();
    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher expected;
    private final KubernetesSerialization json = new KubernetesSerialization();
    final List<String> requests = new CopyOnWriteArrayList<>();

    RunbookDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations) {
        this.expectations = expectations;
        this.expected = new MockDispatcher(expectations);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request.getMethod() + " " + request.getPath());
        Matcher m = EVICTION.matcher(request.getPath());
        if (request.getMethod().equals("POST") && m.matches()) {
            return evict(m.group(1), m.group(2));
        }
        Queue<ServerResponse> queue = expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (queue != null && !queue.isEmpty()) {
            return expected.dispatch(request);
        }
        return delegate.dispatch(request);
    }

    private MockResponse evict(String namespace, String name) {
        MockResponse podResponse = internal(HttpMethod.GET, "/api/v1/namespaces/" + namespace + "/pods/" + name);
        if (podResponse.code() != 200) {
            return podResponse;
        }
        Pod pod = json.unmarshal(podResponse.getBody().readUtf8(), Pod.class);
        String pdbs = internal(HttpMethod.GET, "/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets")
                .getBody().readUtf8();
        for (PodDisruptionBudget pdb : json.unmarshal(pdbs, PodDisruptionBudgetList.class).getItems()) {
            if (selects(pdb, pod.getMetadata().getLabels()) && (pdb.getStatus() == null
                    || pdb.getStatus().getDisruptionsAllowed() == null || pdb.getStatus().getDisruptionsAllowed() < 1)) {
                return new MockResponse().setResponseCode(429).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"reason\":\"TooManyRequests\",\"code\":429,\"message\":\"Cannot evict pod as it"
                        + " would violate the pod's disruption budget.\"}");
            }
        }
        internal(HttpMethod.DELETE, "/api/v1/namespaces/" + namespace + "/pods/" + name);
        return new MockResponse().setResponseCode(201).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\",\"code\":201}");
    }

    private static boolean selects(PodDisruptionBudget pdb, Map<String, String> labels) {
        Map<String, String> wanted = pdb.getSpec().getSelector() == null ? null : pdb.getSpec().getSelector().getMatchLabels();
        return wanted != null && labels != null && labels.entrySet().containsAll(wanted.entrySet());
    }

    private MockResponse internal(HttpMethod method, String path) {
        return delegate.dispatch(new RecordedRequest("HTTP/1.1", method, path, Headers.builder().build(), new Buffer()));
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }
}
