package io.chatbotctl.cli;

import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.config.WorkloadNames;
import io.chatbotctl.kube.Access;
import io.chatbotctl.kube.KubeTarget;
import io.chatbotctl.kube.ServiceAccess;
import io.chatbotctl.kube.ServiceRef;
import io.chatbotctl.kube.ServiceRoutes;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.function.Supplier;

/**
 * {@code --access auto|direct|api-server} (a picocli mixin): how a command reaches Prometheus and the chatbot's
 * Service when their URLs are cluster-internal (docs/access.md). Use it as
 * <pre>{@code
 * @Mixin AccessOptions access;
 * ...
 * try (ServiceAccess services = access.open(this, env)) {
 *     String prometheus = services.reach(url, null, null).url();
 *     String endpoint = services.reach(endpointUrl, access.chatbot(this, env), null).url();
 * }
 * }</pre>
 */
public class AccessOptions {
    /** The chatbot Service's port names (manifests/base/service.yaml): the proxy sidecar's API and its metrics. */
    public static final String HTTP_PORT = "http";
    public static final String METRICS_PORT = "metrics";

    @Option(names = "--access", paramLabel = "auto|direct|api-server", description = {
            "How to reach in-cluster URLs (Prometheus, the chatbot's Service): through the Kubernetes API server's service"
                    + " proxy (api-server), directly (direct), or through the API server only for NAME.NAMESPACE.svc hosts"
                    + " (auto). Default: $CHATBOTCTL_ACCESS, else the environment's access, else auto. See docs/access.md."})
    String access;

    /** {@code --access}, else {@code CHATBOTCTL_ACCESS}, else the environment's {@code access}, else auto. */
    public Access mode(BaseCommand command, EnvironmentConfig env) {
        return Access.select(access, command.environment().variable("CHATBOTCTL_ACCESS"), env == null ? null : env.access());
    }

    /**
     * The command's access to its services; close it when the command ends. The Kubernetes client (the environment's
     * context, {@code --context}, else the kubeconfig's current one) is created only if a URL needs the API server.
     *
     * @param env the selected environment, or null
     */
    public ServiceAccess open(BaseCommand command, EnvironmentConfig env) {
        KubeTarget target = new KubeTarget(context(command, env), namespace(command, env), command.environment().variables());
        Output output = command.output();
        return ServiceAccess.of(mode(command, env), target, output::info);
    }

    /**
     * The chatbot's Service ({@code http} port: the proxy sidecar), for an endpoint that names no Service; the names
     * come from chatbotctl.yaml, read only when asked.
     */
    public Supplier<ServiceRef> chatbot(BaseCommand command, EnvironmentConfig env) {
        return () -> ServiceRef.http(namespace(command, env), names(command).service(), HTTP_PORT);
    }

    /** The canary's Service ({@code NAME-canary}, {@code http} port), for the canary track's endpoint. */
    public Supplier<ServiceRef> chatbotCanary(BaseCommand command, EnvironmentConfig env) {
        return () -> ServiceRef.http(namespace(command, env), names(command).canaryService(), HTTP_PORT);
    }

    /** The chatbot Service's {@code metrics} port, for a metrics URL that names no Service. */
    public Supplier<ServiceRef> chatbotMetrics(BaseCommand command, EnvironmentConfig env) {
        return () -> ServiceRef.http(namespace(command, env), names(command).service(), METRICS_PORT);
    }

    /**
     * For the canary track: a URL naming the chatbot's stable Service ({@code vllm-service.NS.svc}) names its canary
     * Service instead ({@code vllm-service-canary.NS.svc}, same port): without the Gateway, no header reaches the
     * canary. Any other URL is returned as it is.
     */
    public static String canaryUrl(String url, WorkloadNames names) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return url;
        }
        ServiceRef named = ServiceRoutes.service(uri).orElse(null);
        if (named == null || !named.name().equals(names.service())) {
            return url;
        }
        int at = url.indexOf("://") + 3 + (uri.getRawUserInfo() == null ? 0 : uri.getRawUserInfo().length() + 1);
        return url.substring(0, at) + names.canaryService() + url.substring(at + named.name().length());
    }

    private static WorkloadNames names(BaseCommand command) {
        return command.config().names();
    }

    private static String namespace(BaseCommand command, EnvironmentConfig env) {
        return ObservedTarget.of(command, env, null).namespace();
    }

    private static String context(BaseCommand command, EnvironmentConfig env) {
        return command.global().context() != null ? command.global().context() : env == null ? null : env.context();
    }
}
