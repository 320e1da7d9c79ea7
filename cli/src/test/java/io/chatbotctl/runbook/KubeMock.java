package io.chatbotctl.runbook;

import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.KubeMockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * The shared mock API server set-up ({@link KubeMockCluster}'s dispatcher and kubeconfig) with
 * {@link RunbookDispatcher}'s additions: container logs and {@code nvidia-smi} through exec as expectations, and
 * the eviction API.
 */
final class KubeMock implements AutoCloseable {
    final KubernetesMockServer server;
    final KubernetesClient client;
    final Path kubeconfig;
    private final RunbookDispatcher dispatcher;

    KubeMock(Path dir) {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        dispatcher = new RunbookDispatcher(expectations);
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), expectations, dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient(b -> b.editOrNewConfig().withNamespace(KubeMockCluster.NAMESPACE).endConfig());
        kubeconfig = KubeMockCluster.writeKubeconfig(dir.resolve("kubeconfig.yaml"), "http://127.0.0.1:" + server.getPort(),
                KubeMockCluster.CONTEXT, KubeMockCluster.NAMESPACE);
    }

    CliRunner cli() {
        return new CliRunner().env("KUBECONFIG", kubeconfig.toString());
    }

    /** The log of a container (previous: the run before the last restart), as {@code kubectl logs} would return it. */
    void log(String pod, String container, boolean previous, String text) {
        for (int lines : new int[]{Containers.LOG_LINES, 40}) {
            String path = "/api/v1/namespaces/ai-serving/pods/" + pod + "/log?pretty=false&container=" + container
                    + (previous ? "&previous=true" : "") + "&tailLines=" + lines;
            server.expect().get().withPath(path).andReturn(200, text).always();
        }
    }

    /** What {@code nvidia-smi} prints when exec'd in the container. */
    void nvidiaSmi(String pod, String container, String output) {
        server.expect().get().withPath("/api/v1/namespaces/ai-serving/pods/" + pod + "/exec?command=nvidia-smi&container="
                        + container + "&stdout=true&stderr=true")
                .andUpgradeToWebSocket().open(new OutputStreamMessage(output), new StatusStreamMessage(0))
                .done().always();
    }

    List<String> requests() {
        return List.copyOf(dispatcher.requests);
    }

    /** The requests that changed something (not GET). */
    List<String> writes() {
        return dispatcher.requests.stream().filter(r -> !r.startsWith("GET ")).toList();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
