package io.chatbotctl.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * A Kubernetes API server for tests: fabric8's {@link KubernetesMockServer} in CRUD mode on loopback, with
 * {@link ServerSideApplyDispatcher} (server-side apply, dry run) and a {@link DeploymentController} to play the
 * controllers it does not run. Typical use:
 * <pre>{@code
 * try (KubeMockCluster cluster = KubeMockCluster.start(tempDir)) {
 *     cluster.controller().onEveryRollout(d -> RolloutOutcome.succeed());
 *     CliRunner.Result r = cluster.cli().run("--config", configFile, "deploy", "--env", "staging");
 *     Deployment d = cluster.client().apps().deployments().withName("vllm-chatbot").get();
 * }
 * }</pre>
 * The CLI reaches it through a kubeconfig file written into the given directory ({@link #kubeconfig()}) with the
 * context {@link #CONTEXT} (namespace {@link #NAMESPACE}); {@link #cli()} returns a {@link CliRunner} whose
 * {@code KUBECONFIG} variable points at it, so the developer's own kubeconfig is never read.
 * Custom resources of the manifests (PrometheusRule, ServiceMonitor, PodMonitor, KEDA ScaledObject, the Gateway API's
 * HTTPRoute and Gateway, the Gateway implementations' LoadBalancerConfiguration and traffic policies) are registered,
 * and the cluster-scoped GatewayClass and Karpenter NodePool.
 */
public final class KubeMockCluster implements AutoCloseable {
    /** The kube context name in {@link #kubeconfig()}; use it as the environment's {@code context}. */
    public static final String CONTEXT = "mock-cluster";
    public static final String NAMESPACE = "ai-serving";

    /** The mock logs every request at INFO through java.util.logging; kept quiet (a strong reference keeps the level). */
    private static final java.util.logging.Logger QUIET_MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final ServerSideApplyDispatcher dispatcher;
    private final KubernetesClient client;
    private final Path kubeconfig;
    private final DeploymentController controller;

    private KubeMockCluster(KubernetesMockServer server, ServerSideApplyDispatcher dispatcher, Path kubeconfig) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.kubeconfig = kubeconfig;
        this.client = server.createClient(b -> b.editOrNewConfig().withNamespace(NAMESPACE).endConfig());
        this.controller = new DeploymentController(client, NAMESPACE);
    }

    /** Starts the server on 127.0.0.1 and writes {@code kubeconfig.yaml} into {@code dir}. */
    public static KubeMockCluster start(Path dir) {
        QUIET_MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        ServerSideApplyDispatcher dispatcher = new ServerSideApplyDispatcher();
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), dispatcher, false);
        for (String[] crd : new String[][]{
                {"monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules"},
                {"monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors"},
                {"monitoring.coreos.com", "v1", "PodMonitor", "podmonitors"},
                {"keda.sh", "v1alpha1", "ScaledObject", "scaledobjects"},
                {"gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"},
                {"gateway.networking.k8s.io", "v1", "Gateway", "gateways"},
                {"gateway.k8s.aws", "v1beta1", "LoadBalancerConfiguration", "loadbalancerconfigurations"},
                {"gateway.envoyproxy.io", "v1alpha1", "ClientTrafficPolicy", "clienttrafficpolicies"},
                {"gateway.envoyproxy.io", "v1alpha1", "BackendTrafficPolicy", "backendtrafficpolicies"}}) {
            server.expectCustomResource(new CustomResourceDefinitionContext.Builder()
                    .withGroup(crd[0]).withVersion(crd[1]).withKind(crd[2]).withPlural(crd[3])
                    .withScope("Namespaced").build());
        }
        for (String[] crd : new String[][]{
                {"gateway.networking.k8s.io", "v1", "GatewayClass", "gatewayclasses"},
                {"karpenter.sh", "v1", "NodePool", "nodepools"}}) {
            server.expectCustomResource(new CustomResourceDefinitionContext.Builder()
                    .withGroup(crd[0]).withVersion(crd[1]).withKind(crd[2]).withPlural(crd[3])
                    .withScope("Cluster").build());
        }
        try {
            server.init(InetAddress.getLoopbackAddress(), 0);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the fabric8 mock API server on loopback", e);
        }
        Path kubeconfig = dir.resolve("kubeconfig.yaml");
        writeKubeconfig(kubeconfig, "http://127.0.0.1:" + server.getPort(), CONTEXT, NAMESPACE);
        return new KubeMockCluster(server, dispatcher, kubeconfig);
    }

    /**
     * Writes a kubeconfig with one cluster, user and context. Point it at a closed port to test an unreachable cluster.
     */
    public static Path writeKubeconfig(Path file, String serverUrl, String context, String namespace) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %2$s
                  cluster:
                    server: %1$s
                users:
                - name: %2$s-user
                  user:
                    token: test-token
                contexts:
                - name: %2$s
                  context:
                    cluster: %2$s
                    user: %2$s-user
                    namespace: %3$s
                current-context: %2$s
                """.formatted(serverUrl, context, namespace);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A fabric8 client for the mock, default namespace {@link #NAMESPACE}: to arrange and assert cluster state. */
    public KubernetesClient client() {
        return client;
    }

    /** Plays the Deployment controller; see {@link DeploymentController}. */
    public DeploymentController controller() {
        return controller;
    }

    /** The Gateway API's CRDs as objects (only their names matter to doctor's gateway-crds check). */
    public void installGatewayApiCrds() {
        for (String plural : java.util.List.of("gatewayclasses", "gateways", "httproutes")) {
            client.apiextensions().v1().customResourceDefinitions().resource(
                    new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName(plural + ".gateway.networking.k8s.io").endMetadata()
                    .withNewSpec().withGroup("gateway.networking.k8s.io").withScope(plural.equals("gatewayclasses") ? "Cluster" : "Namespaced")
                    .withNewNames().withPlural(plural).withKind(plural).endNames()
                    .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build()).create();
        }
    }

    /** The kubeconfig file for the mock (context {@link #CONTEXT}). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The API server URL, e.g. {@code http://127.0.0.1:43210}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /**
     * Answers {@code method} requests whose path (with query) starts with {@code pathPrefix} with {@code handler} instead
     * of the CRUD store: for APIs a store cannot play (SelfSubjectAccessReview, custom/external metrics). Cleared by
     * {@link #reset()}.
     */
    public void route(String method, String pathPrefix,
                      java.util.function.Function<io.fabric8.mockwebserver.http.RecordedRequest, io.fabric8.mockwebserver.http.MockResponse> handler) {
        dispatcher.route(method, pathPrefix, handler);
    }

    /** A {@link CliRunner} with {@code KUBECONFIG} pointing at the mock. */
    public CliRunner cli() {
        return new CliRunner().env("KUBECONFIG", kubeconfig.toString());
    }

    /**
     * Makes the API server's service proxy for one Service port lead to {@code upstream}, as kube-apiserver would
     * reach the Service's endpoints: requests to
     * {@code /api/v1/namespaces/NAMESPACE/services/NAME:PORT/proxy/PATH} go to {@code upstream}'s scheme, host and
     * port with {@code /PATH} (see {@link ServiceProxies} for the API server's behaviour that is kept, and the one
     * difference: answers arrive whole). Register the port as clients name it: the URL's number ({@code "9090"}) or
     * the port's name ({@code "http"}); register both when both are used. A null upstream makes the Service exist
     * without endpoints (503). A Service neither registered nor in the store is 404.
     * <pre>{@code
     * cluster.serveServiceProxy("monitoring", "prometheus-operated", "9090", URI.create(prometheus.url()));
     * cluster.serveServiceProxy("ai-serving", "vllm-service", "http", URI.create("http://127.0.0.1:" + sim.port()));
     * }</pre>
     */
    public KubeMockCluster serveServiceProxy(String namespace, String serviceName, String port, java.net.URI upstream) {
        dispatcher.serviceProxies().serve(namespace, serviceName, port, upstream);
        return this;
    }

    /** Answers every service proxy request in {@code namespace} with 403, as RBAC does without {@code services/proxy}. */
    public KubeMockCluster denyServiceProxy(String namespace) {
        dispatcher.serviceProxies().deny(namespace);
        return this;
    }

    /** Empties the API server's store (objects, watches), forgets applied configurations and played rollouts. */
    public void reset() {
        server.reset();
        controller.forget();
    }

    @Override
    public void close() {
        controller.close();
        client.close();
        server.destroy();
    }
}
