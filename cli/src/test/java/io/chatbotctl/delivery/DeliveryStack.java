package io.chatbotctl.delivery;

import io.chatbotctl.canary.BackgroundLoad;
import io.chatbotctl.modelsync.EmbeddedS3;
import io.chatbotctl.modelsync.SampleModel;
import io.chatbotctl.prometheus.LocalPrometheus;
import io.chatbotctl.proxy.Keys;
import io.chatbotctl.proxy.ProxyOptions;
import io.chatbotctl.proxy.ProxyServer;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.KubeMockCluster;
import io.chatbotctl.testing.Repository;
import io.chatbotctl.testing.RolloutOutcome;
import io.chatbotctl.testing.RouteRouter;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The systems the workflows act on, started once for every rehearsal scenario (a JUnit parameter: {@code
 * @ExtendWith(DeliveryStack.Extension.class)}, then a {@code DeliveryStack} parameter):
 * <ul>
 *   <li>vLLM pods: {@link Simulator}s, each behind an in-process {@code chatbotctl proxy} (API key, the config's system
 *       prompt), one per {@link Flavour}: the stable release and the candidate canaries (good, slower, regressed);</li>
 *   <li>EKS: one fabric8 mock API server per environment (staging, production), the {@code DeploymentController}
 *       helper playing the Deployment controller (every rollout succeeds);</li>
 *   <li>the Gateway: a {@link RouteRouter} per environment routing by the live HTTPRoute to the stable and canary
 *       proxies ({@code vllm-service}, {@code vllm-service-canary});</li>
 *   <li>Prometheus: the real one (Debian's), scraping the scenario's simulators with {@code namespace} and
 *       {@code track} labels; started fresh per scenario so that no scenario sees another's canary;</li>
 *   <li>S3: S3Proxy with the model pushed to the configured {@code modelUri}.</li>
 * </ul>
 * A {@link Scenario} picks the canary's flavour, resets the clusters, deploys production's previous release and sends
 * production traffic through its Gateway.
 */
final class DeliveryStack implements ExtensionContext.Store.CloseableResource {
    static final String MODEL = "llama-3.1-8b-instruct";
    static final String MODEL_BUCKET = "example-ml-models";
    static final String MODEL_PREFIX = "llama-3.1-8b-instruct-awq/";
    static final String S3_KEY = "rehearsal";
    static final String S3_SECRET = "rehearsal-secret";
    static final String PREVIOUS_IMAGE = "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/vllm-openai:v0.10.2";
    static final String NEW_IMAGE = "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/vllm-openai:v0.11.0";
    /** The EKS cluster names the fixtures' vars give. */
    static final String EKS_STAGING = "ai-staging";
    static final String EKS_PRODUCTION = "ai-production";

    /** What a pod of one release serves like. */
    enum Flavour {
        STABLE("evals/responses/good-model.yaml", 1),
        GOOD("evals/responses/good-model.yaml", 1),
        SLOWER("evals/responses/good-model.yaml", 4),
        REGRESSED("evals/responses/regressed-model.yaml", 1);

        final String responses;
        final int slowdown;

        Flavour(String responses, int slowdown) {
            this.responses = responses;
            this.slowdown = slowdown;
        }
    }

    /** One pod: the simulator and the proxy in front of it. */
    record Pod(Simulator sim, ProxyServer proxy) {
        String origin() {
            return "http://127.0.0.1:" + proxy.port();
        }
    }

    /** Resolves {@code DeliveryStack} parameters: one stack for the whole test run, closed at its end. */
    static final class Extension implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DeliveryStack.class);

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == DeliveryStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            return c.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(DeliveryStack.class, k -> start(), DeliveryStack.class);
        }
    }

    final Path dir;
    final String apiKey;
    final EmbeddedS3 s3;
    final Map<Flavour, Pod> pods = new LinkedHashMap<>();
    final KubeMockCluster staging;
    final KubeMockCluster production;
    private final List<AutoCloseable> resources = new ArrayList<>();

    private DeliveryStack(Path dir) throws Exception {
        this.dir = dir;
        Path keys = dir.resolve("keys.yaml");
        this.apiKey = Keys.create(keys, "ci", 0, 0, 0).key();
        s3 = track(EmbeddedS3.start(Files.createDirectories(dir.resolve("blobs")), 0, S3_KEY, S3_SECRET, true));
        s3.createBucket(MODEL_BUCKET);
        Path model = dir.resolve("model");
        SampleModel.write(model);
        CliRunner.Result push = new CliRunner().workingDir(dir).env("AWS_ACCESS_KEY_ID", S3_KEY).env("AWS_SECRET_ACCESS_KEY", S3_SECRET)
                .run("model", "push", model.toString(), "s3://" + MODEL_BUCKET + "/" + MODEL_PREFIX, "--endpoint-url", s3.endpointUrl());
        if (push.exitCode() != 0) {
            throw new IllegalStateException("model push to S3Proxy failed: " + push);
        }
        for (Flavour f : Flavour.values()) {
            Simulator sim = track(Simulator.start(SimConfig.builder().model(MODEL).seed(1L)
                    .prefillPer1kTokens(Duration.ofMillis(400L * f.slowdown)).itl(Duration.ofMillis(5L * f.slowdown))
                    .outputTokens(8).responses(Repository.file(f.responses)).build()));
            ProxyOptions options = ProxyOptions.resolve(new ProxyOptions.Flags(sim.baseUrl(), "127.0.0.1:0", "127.0.0.1:0", keys,
                            null, null, Repository.file("evals/system-prompt.txt"), "prepend", null, null, null, null, null,
                            Duration.ofSeconds(30)),
                    null, Map.of(), MODEL, dir);
            ProxyServer proxy = track(ProxyServer.start(options, line -> { }, line -> { }));
            pods.put(f, new Pod(sim, proxy));
        }
        staging = track(cluster("staging"));
        production = track(cluster("production"));
    }

    static DeliveryStack start() {
        try {
            return new DeliveryStack(Files.createTempDirectory("delivery-stack"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the delivery stack: " + e.getMessage(), e);
        }
    }

    private KubeMockCluster cluster(String name) throws IOException {
        KubeMockCluster cluster = KubeMockCluster.start(Files.createDirectories(dir.resolve("cluster-" + name)));
        cluster.controller().stageDelay(Duration.ofMillis(20)).onEveryRollout(d -> RolloutOutcome.succeed());
        return cluster;
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * The cluster's Services as its API server's service proxy reaches them (the jobs run with
     * {@code CHATBOTCTL_ACCESS=api-server}): {@code vllm-service} selects the stable pods, {@code vllm-service-canary}
     * the canary's (manifests/base/service.yaml: ports {@code http} 8000 and {@code metrics} 9400, both the proxy
     * sidecar's), {@code prometheus-operated} in {@code monitoring} is Prometheus (port 9090, chatbotctl.yaml).
     */
    private static void serveServices(KubeMockCluster cluster, Pod stable, Pod canary, LocalPrometheus prometheus) {
        for (Map.Entry<String, Pod> service : Map.of("vllm-service", stable, "vllm-service-canary", canary).entrySet()) {
            URI http = URI.create(service.getValue().origin());
            URI metrics = URI.create("http://127.0.0.1:" + service.getValue().proxy().metricsPort());
            for (String port : List.of("http", "8000")) {
                cluster.serveServiceProxy(KubeMockCluster.NAMESPACE, service.getKey(), port, http);
            }
            for (String port : List.of("metrics", "9400")) {
                cluster.serveServiceProxy(KubeMockCluster.NAMESPACE, service.getKey(), port, metrics);
            }
        }
        cluster.serveServiceProxy("monitoring", "prometheus-operated", "9090", URI.create(prometheus.url()));
    }

    /** The stand-ins the rehearsal's {@code uses:} mapping and shims point at. */
    StandIns standIns() {
        return new StandIns(s3.endpointUrl(), S3_KEY, S3_SECRET, StandIns.REGISTRY,
                Map.of(EKS_STAGING, staging.url(), EKS_PRODUCTION, production.url()));
    }

    /** What GitHub would hold for this repository: the vars the workflows read and the API key secret. */
    Fixture withRepositorySettings(Fixture f) {
        return f.var("AWS_CI_ROLE_ARN", "arn:aws:iam::123456789012:role/chatbotctl-ci")
                .var("AWS_DEPLOY_ROLE_ARN", "arn:aws:iam::123456789012:role/chatbotctl-deploy")
                .var("EKS_CLUSTER_STAGING", EKS_STAGING)
                .var("EKS_CLUSTER_PRODUCTION", EKS_PRODUCTION)
                .var("VLLM_IMAGE", NEW_IMAGE)
                .secret("CHATBOT_API_KEY", apiKey);
    }

    /** Chat completions a pod answered without streaming: the eval's (users' traffic streams). */
    long evalRequests(Flavour flavour) {
        return pods.get(flavour).sim().requestLog().stream()
                .filter(r -> !r.stream() && r.handler().equals("/v1/chat/completions")).count();
    }

    /** Starts a scenario: clusters emptied, production on {@link #PREVIOUS_IMAGE}, {@code canary} as the candidate. */
    Scenario scenario(String name, Flavour canary) throws Exception {
        return new Scenario(name, canary);
    }

    /** One scenario's Gateways, Prometheus and production traffic; close it before the next. */
    final class Scenario implements AutoCloseable {
        final String name;
        final Flavour canary;
        final RouteRouter stagingGateway;
        final RouteRouter productionGateway;
        final LocalPrometheus prometheus;
        final Path dir;
        private final List<AutoCloseable> open = new ArrayList<>();

        private Scenario(String name, Flavour canary) throws Exception {
            this.name = name;
            this.canary = canary;
            this.dir = Files.createDirectories(DeliveryStack.this.dir.resolve(name));
            for (KubeMockCluster cluster : List.of(staging, production)) {
                cluster.reset();
                // what an operator creates once per cluster (manifests/overlays/*/proxy-keys.yaml says how)
                cluster.client().resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                        .withName("vllm-chatbot-proxy-keys").withNamespace(KubeMockCluster.NAMESPACE).endMetadata()
                        .addToStringData("keys.yaml", Files.readString(DeliveryStack.this.dir.resolve("keys.yaml"))).build()).create();
                HealthyEks.arrange(cluster);
            }
            Map<String, String> services = Map.of("vllm-service", pods.get(Flavour.STABLE).origin(),
                    "vllm-service-canary", pods.get(canary).origin());
            stagingGateway = add(RouteRouter.start(staging.client(), "vllm-chatbot", services));
            productionGateway = add(RouteRouter.start(production.client(), "vllm-chatbot", services));
            prometheus = add(LocalPrometheus.start(List.of(
                    target(pods.get(Flavour.STABLE).sim(), "stable"), target(pods.get(canary).sim(), "canary"))));
            for (KubeMockCluster cluster : List.of(staging, production)) {
                serveServices(cluster, pods.get(Flavour.STABLE), pods.get(canary), prometheus);
            }
            deployPrevious(staging, "staging");
            deployPrevious(production, "production");
            HealthyEks.programmed(staging);
            HealthyEks.programmed(production);
            add(new BackgroundLoad(productionGateway.url() + "/v1", apiKey, MODEL, 20, 4));
            prometheus.awaitTargetsUp(Duration.ofSeconds(30));
        }

        /** The release before this change, as the environment runs it when the workflow starts. */
        private void deployPrevious(KubeMockCluster cluster, String env) {
            CliRunner.Result deploy = cluster.cli().workingDir(dir).run("--config", Repository.file("chatbotctl.yaml").toString(),
                    "--context", KubeMockCluster.CONTEXT, "deploy", "--env", env, "--image", PREVIOUS_IMAGE, "--timeout", "60s");
            if (deploy.exitCode() != 0) {
                throw new IllegalStateException("deploying " + env + "'s previous release failed: " + deploy);
            }
        }

        private <T extends AutoCloseable> T add(T resource) {
            open.add(resource);
            return resource;
        }

        private static LocalPrometheus.Target target(Simulator sim, String track) {
            return new LocalPrometheus.Target("127.0.0.1:" + sim.port(), Map.of("namespace", KubeMockCluster.NAMESPACE, "track", track));
        }

        @Override
        public void close() {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception ignored) {
                    // best effort: the next scenario starts its own
                }
            }
        }
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
