package io.chatbotctl.canary;

import io.chatbotctl.core.RetryPolicy;
import io.chatbotctl.core.Sleeper;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.deploy.DeployTarget;
import io.chatbotctl.deploy.KustomizeManifests;
import io.chatbotctl.deploy.ManifestSource;
import io.chatbotctl.deploy.Manifests;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.kube.KubeTarget;
import io.chatbotctl.manifest.ImageOverrides;
import io.chatbotctl.prometheus.PrometheusClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** What the {@code canary} commands call: one method per command. */
public final class CanaryService {
    /** Four Prometheus attempts, pauses from 1 s doubling (each at most 4 s and the interval), 30 s in all. */
    static RetryPolicy prometheusRetry(Duration interval) {
        Duration maxPause = interval.compareTo(Duration.ofSeconds(4)) < 0 ? interval : Duration.ofSeconds(4);
        return RetryPolicy.of(4, Duration.ofSeconds(1), maxPause, Duration.ofSeconds(30));
    }

    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

    private final DeployTarget target;
    private final Path overlay;
    private final Duration rolloutTimeout;
    private final CanaryNames names;
    private final String header;

    /**
     * @param target         the environment, its cluster and namespace; null when nothing on the cluster is touched
     * @param overlay        the environment's Kustomize overlay, deployed with the canary's image on promotion
     * @param rolloutTimeout how long the canary (start) or the stable Deployment (promote) may take to become ready
     * @param names          the stable Deployment, Service and HTTPRoute (chatbotctl.yaml)
     * @param header         the header whose value {@code always} reaches the canary, {@code never} stable
     */
    public CanaryService(DeployTarget target, Path overlay, Duration rolloutTimeout, CanaryNames names, String header) {
        this.names = names;
        this.target = target;
        this.overlay = overlay;
        this.rolloutTimeout = rolloutTimeout;
        this.header = header;
    }

    /** The canary of the new release: the environment's overlay rendered with {@code images} (NONE: as it is). */
    public CanaryStatus start(ImageOverrides images, int weight, int replicas, Progress progress) throws InterruptedException {
        try (KubeConnection kube = KubeConnection.open(requireTarget())) {
            return canary(kube).start(images, weight, replicas, header, progress);
        }
    }

    /**
     * @param analysisFile the analysis file, or null for the built-in one
     * @param prometheus   Prometheus' base URL
     * @param eval         the eval in the loop, or null
     */
    public CanaryReport watch(Path analysisFile, String prometheus, WatchOptions options, EvalInLoop eval,
                              Consumer<IntervalReport> onInterval, Progress progress) throws InterruptedException {
        Analysis analysis = analysisFile == null ? AnalysisLoader.builtIn() : AnalysisLoader.load(analysisFile);
        if (prometheus == null || prometheus.isBlank()) {
            throw new InvalidInputException("no Prometheus URL", "pass --prometheus http://host:9090 or set the environment's prometheus in chatbotctl.yaml");
        }
        MetricSource source = new PrometheusMetricSource(new PrometheusClient(prometheus, QUERY_TIMEOUT), prometheusRetry(options.interval()));
        if (eval != null && options.replay()) {
            throw new InvalidInputException("--eval-dataset asks the canary now: it cannot replay a past window",
                    "drop --from/--to, or the eval options");
        }
        if (eval != null && (eval.endpoint() == null || eval.endpoint().isBlank())) {
            throw new InvalidInputException("the eval in the loop needs the service's endpoint",
                    "set the environment's endpoint in chatbotctl.yaml (the URL through the Gateway), or pass --endpoint");
        }
        QualityCheck quality = eval == null ? null : new EvalQualityCheck(eval.endpoint(), header, eval.apiKey(),
                eval.datasets(), eval.thresholds(), eval.baseline(), progress);
        return watch(analysis, source, options, quality, onInterval, progress);
    }

    private CanaryReport watch(Analysis analysis, MetricSource source, WatchOptions options, QualityCheck quality,
                               Consumer<IntervalReport> onInterval, Progress progress) throws InterruptedException {
        if (options.dryRun() || options.replay()) {
            return new CanaryWatch(analysis, source, null, Clock.systemUTC(), Sleeper.REAL, quality).run(options, onInterval, progress);
        }
        try (KubeConnection kube = KubeConnection.open(requireTarget())) {
            KubeCanary canary = canary(kube);
            CanaryStatus status = canary.status();
            if (!status.canaryRunning() || status.weight() == null) {
                throw new io.chatbotctl.core.CheckFailedException("no canary runs in " + kube.namespace() + " to watch",
                        "start one with chatbotctl canary start --image REF, or use --dry-run to only observe");
            }
            return new CanaryWatch(analysis, source, canary, Clock.systemUTC(), Sleeper.REAL, quality).run(options, onInterval, progress);
        }
    }

    public String promote(Progress progress) {
        try (KubeConnection kube = KubeConnection.open(requireTarget())) {
            return canary(kube).promote(progress);
        }
    }

    public String abort(Progress progress) {
        try (KubeConnection kube = KubeConnection.open(requireTarget())) {
            KubeCanary canary = canary(kube);
            CanaryStatus status = canary.status();
            if (!status.canaryRunning() && status.weight() == null) {
                return "no canary in " + kube.namespace() + ": nothing to abort";
            }
            return canary.rollback(progress);
        }
    }

    public CanaryStatus status() {
        try (KubeConnection kube = KubeConnection.open(requireTarget())) {
            return canary(kube).status();
        }
    }

    private KubeCanary canary(KubeConnection kube) {
        return new KubeCanary(kube, names, overlaySource(), new ReleasePromoter(target, overlay, rolloutTimeout), rolloutTimeout, Sleeper.REAL);
    }

    /** The environment's overlay, read when first needed (status and abort do not need it). */
    private ManifestSource overlaySource() {
        return new ManifestSource() {
            @Override
            public Manifests render(ImageOverrides images) {
                return new KustomizeManifests(overlay).render(images);
            }

            @Override
            public List<String> lintErrors(Manifests manifests) {
                return new KustomizeManifests(overlay).lintErrors(manifests);
            }
        };
    }

    private KubeTarget requireTarget() {
        if (target == null) {
            throw new InvalidInputException("no environment selected", "pass --env staging|production");
        }
        return target.kube();
    }
}
