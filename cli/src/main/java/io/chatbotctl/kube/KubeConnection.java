package io.chatbotctl.kube;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An open fabric8 client for one {@link KubeTarget}, and the one place that turns the client's failures into
 * {@link ExternalSystemException}s (exit 4) naming the API server. Create it inside a command's {@code call()},
 * never at start-up; close it when done.
 *
 * <p>The kubeconfig is found like kubectl does, but from {@link KubeTarget#variables()} rather than the process:
 * the first file of {@code KUBECONFIG} that defines the context, else {@code $HOME/.kube/config}, else the
 * in-cluster service account when {@code KUBERNETES_SERVICE_HOST} is set.
 */
public final class KubeConnection implements AutoCloseable {
    /** TCP connect timeout: an unreachable API server fails within twice this (one retry). */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Time for one API request once connected. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final int RETRIES = 1;
    private static final int RETRY_BACKOFF_MILLIS = 200;

    private final KubernetesClient client;
    private final String namespace;
    private final String server;
    private final String source;

    private KubeConnection(KubernetesClient client, String namespace, String server, String source) {
        this.client = client;
        this.namespace = namespace;
        this.server = server;
        this.source = source;
    }

    public static KubeConnection open(KubeTarget target) {
        Resolved resolved = resolve(target);
        Config config = new ConfigBuilder(resolved.config)
                .withNamespace(target.namespace() != null ? target.namespace() : resolved.config.getNamespace())
                .withConnectionTimeout((int) CONNECT_TIMEOUT.toMillis())
                .withRequestTimeout((int) REQUEST_TIMEOUT.toMillis())
                .withRequestRetryBackoffLimit(RETRIES)
                .withRequestRetryBackoffInterval(RETRY_BACKOFF_MILLIS)
                .build();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new OkHttpClientFactory())
                .build();
        String namespace = config.getNamespace() != null ? config.getNamespace() : "default";
        return new KubeConnection(client, namespace, config.getMasterUrl(), resolved.source);
    }

    public KubernetesClient client() {
        return client;
    }

    /** The namespace every namespaced call of this connection uses. */
    public String namespace() {
        return namespace;
    }

    /** The API server URL, for messages. */
    public String server() {
        return server;
    }

    /** Where the configuration came from: a kubeconfig path and context, or "in-cluster". */
    public String source() {
        return source;
    }

    /**
     * Runs one cluster call; a failure becomes an {@link ExternalSystemException} whose message says what was being
     * done ({@code what}, e.g. "read deployment vllm-chatbot") and why, with a hint.
     */
    public <T> T call(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (KubernetesClientException e) {
            throw failure(what, e);
        }
    }

    public void run(String what, Runnable body) {
        call(what, () -> {
            body.run();
            return null;
        });
    }

    /** Translates a fabric8 failure into the user-facing exception (exit 4). */
    public ExternalSystemException failure(String what, KubernetesClientException e) {
        Throwable root = rootCause(e);
        if (e.getCode() <= 0 && (root instanceof IOException || root instanceof java.util.concurrent.TimeoutException)) {
            String why = root instanceof ConnectException ? "connection refused"
                    : root instanceof SocketTimeoutException || root instanceof java.util.concurrent.TimeoutException ? "timed out"
                    : root instanceof UnknownHostException ? "unknown host " + root.getMessage()
                    : String.valueOf(root.getMessage());
            return new ExternalSystemException("cannot reach the Kubernetes API server " + server + " to " + what + ": " + why,
                    "check the context (" + source + ") and your network/VPN; pass --context or set KUBECONFIG", e);
        }
        String status = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        String hint = switch (e.getCode()) {
            case 401 -> "your credentials for " + server + " were rejected; refresh them (e.g. aws eks update-kubeconfig)";
            case 403 -> "your user lacks RBAC permission for this; ask a cluster admin";
            case 404 -> "the object or its API does not exist in " + server;
            case 409 -> "another writer changed it at the same time; run the command again";
            default -> "rerun with --debug for details";
        };
        return new ExternalSystemException("cluster refused to " + what + " (HTTP " + e.getCode() + "): " + status, hint, e);
    }

    @Override
    public void close() {
        client.close();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    private record Resolved(Config config, String source) {}

    private static Resolved resolve(KubeTarget target) {
        List<Path> candidates = kubeconfigFiles(target);
        List<Path> existing = new ArrayList<>();
        for (Path file : candidates) {
            if (Files.isRegularFile(file)) {
                existing.add(file);
            }
        }
        for (Path file : existing) {
            String text = read(file);
            if (target.context() == null || Kubeconfigs.contexts(text, file).contains(target.context())) {
                Config config = Config.fromKubeconfig(target.context(), text, file.toString());
                String context = target.context() != null ? target.context() : Kubeconfigs.currentContext(text, file);
                return new Resolved(config, file + (context == null ? "" : ", context " + context));
            }
        }
        if (!existing.isEmpty()) {
            List<String> known = new ArrayList<>();
            for (Path file : existing) {
                known.addAll(Kubeconfigs.contexts(read(file), file));
            }
            throw new InvalidInputException("kube context '" + target.context() + "' is not in " + existing
                    + " (contexts there: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")",
                    "pass --context NAME, fix the environment's context in chatbotctl.yaml, or point KUBECONFIG at the right file");
        }
        if (target.variables().get("KUBERNETES_SERVICE_HOST") != null
                && Files.isRegularFile(Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH))) {
            return new Resolved(Config.autoConfigure(null), "in-cluster service account");
        }
        throw new ExternalSystemException("no kubeconfig found (looked at " + candidates + ") and not running inside a cluster",
                "set KUBECONFIG or create ~/.kube/config (e.g. aws eks update-kubeconfig --name CLUSTER)");
    }

    private static List<Path> kubeconfigFiles(KubeTarget target) {
        List<Path> files = new ArrayList<>();
        String kubeconfig = target.variables().get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            for (String part : kubeconfig.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    files.add(Path.of(part));
                }
            }
            return files;
        }
        String home = target.variables().getOrDefault("HOME", System.getProperty("user.home"));
        files.add(Path.of(home, ".kube", "config"));
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read kubeconfig " + file + ": " + e.getMessage());
        }
    }
}
