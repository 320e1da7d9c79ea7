package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.deploy.MissingSecrets;
import io.chatbotctl.modelsync.ManifestProbe;
import io.chatbotctl.prometheus.Sample;
import io.chatbotctl.proxy.RedisPing;
import io.chatbotctl.kube.Access;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Model and proxy: the model's remote manifest answers a HEAD (with the caller's credentials), the Secrets the pods
 * mount exist (the proxy's keys), and the Redis the proxy shares limits through answers PING.
 */
final class ModelProxyChecks {
    static final String GROUP = "Model and proxy";
    /** The proxy's Redis setting, as the overlay's proxy ConfigMap passes it (docs/proxy.md). */
    static final String REDIS_VARIABLE = "CHATBOTCTL_PROXY_REDIS_URL";
    /** The proxy's counter of rate-limit calls Redis did not answer (docs/proxy.md). */
    static final String REDIS_ERRORS = "chatbotctl_proxy_redis_errors_total";
    static final String MODEL_URI_KEY = "MODEL_S3_URI";

    private final DoctorContext context;

    ModelProxyChecks(DoctorContext context) {
        this.context = context;
    }

    List<CheckResult> run() {
        return List.of(model(), secrets(), redis());
    }

    private Optional<String> configMapValue(String key) {
        if (context.rendered == null) {
            return Optional.empty();
        }
        return context.rendered.ofKind("ConfigMap").stream().map(c -> c.path("data").path(key))
                .filter(JsonNode::isTextual).map(JsonNode::asText).filter(v -> !v.isBlank()).findFirst();
    }

    private CheckResult model() {
        String uri = context.request.modelUri();
        String from = "chatbotctl.yaml modelUri";
        if (uri == null) {
            uri = configMapValue(MODEL_URI_KEY).orElse(null);
            from = "the overlay's " + MODEL_URI_KEY;
        }
        if (uri == null) {
            return CheckResult.warn(GROUP, "model-uri", "no model URI configured", "set environments."
                    + context.request.environment() + ".modelUri in chatbotctl.yaml");
        }
        String whose = "probed with your credentials (AWS default chain"
                + (context.request.s3().profile() == null ? "" : ", profile " + context.request.s3().profile())
                + "), not the pods' role: the model-loader's IRSA role is not checked";
        try {
            ManifestProbe.Head head = ManifestProbe.head(context.request.s3(), uri);
            return CheckResult.ok(GROUP, "model-uri", "HEAD " + head.uri() + " (" + from + "): " + head.sizeBytes()
                    + " bytes, ETag " + head.etag() + "; " + whose);
        } catch (ChatbotctlException e) {
            return CheckResult.fail(GROUP, "model-uri", uri + " (" + from + "): " + e.getMessage() + "; " + whose,
                    (e.hint() == null ? "" : e.hint() + "; ") + "model push writes the manifest: chatbotctl model push DIR " + uri);
        }
    }

    private CheckResult secrets() {
        if (context.rendered == null) {
            return CheckResult.warn(GROUP, "keys-secret", "no overlay rendered: cannot tell which Secrets the pods mount",
                    "set the environment's overlay in chatbotctl.yaml");
        }
        List<ObjectNode> objects = context.rendered.objects();
        Map<String, String> needed = MissingSecrets.needed(objects);
        if (needed.isEmpty()) {
            return CheckResult.warn(GROUP, "keys-secret", "the pods mount no Secret: the proxy has no API keys",
                    "mount the keys Secret in the overlay (docs/manifests.md, \"The proxy's keys\")");
        }
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        needed.forEach((key, who) -> {
            String namespace = key.substring(0, key.indexOf('/'));
            String name = key.substring(key.indexOf('/') + 1);
            boolean exists = context.kube.call("read secret " + name,
                    () -> context.client().secrets().inNamespace(namespace).withName(name).get()) != null;
            (exists ? present : missing).add("Secret " + key + " (" + who + ")");
        });
        if (missing.isEmpty()) {
            return CheckResult.ok(GROUP, "keys-secret", "present: " + String.join(", ", present));
        }
        return CheckResult.fail(GROUP, "keys-secret", "missing: " + String.join(", ", missing) + "; the pods will not start",
                "chatbotctl proxy keys create NAME --keys keys.yaml, then kubectl -n " + context.namespace()
                        + " create secret generic NAME --from-file=keys.yaml (docs/manifests.md, \"The proxy's keys\")");
    }

    private CheckResult redis() {
        String url = context.request.proxyRedis();
        String from = "chatbotctl.yaml proxy.redis";
        if (url == null) {
            url = configMapValue(REDIS_VARIABLE).orElse(null);
            from = "the overlay's " + REDIS_VARIABLE;
        }
        if (url == null) {
            return CheckResult.ok(GROUP, "redis", "no Redis configured: each proxy replica counts its keys' limits alone");
        }
        String host = url.replaceAll("^[a-z]+://([^@/]*@)?", "").replaceAll("/.*$", "");
        try {
            Duration took = RedisPing.ping(url, context.request.timeout());
            return CheckResult.ok(GROUP, "redis", host + " (" + from + ") answered PING with PONG in " + took.toMillis() + " ms");
        } catch (ChatbotctlException e) {
            if (context.request.access() == Access.API_SERVER) {
                return fromThePods(host, from, e.getMessage());
            }
            return CheckResult.fail(GROUP, "redis", host + " (" + from + "): " + e.getMessage(),
                    e.hint() != null ? e.hint() : "check the URL and that Redis runs");
        }
    }

    /**
     * With access through the API server this machine is outside the VPC, where ElastiCache lives: a failed PING says
     * nothing about the pods. What the pods saw is the proxy's own counter of Redis calls that went unanswered.
     */
    private CheckResult fromThePods(String host, String from, String pingError) {
        String here = host + " (" + from + ") is not reachable from this machine (" + pingError
                + "), which reaches the cluster through the API server only";
        String fix = "run doctor with --access direct from inside the VPC to PING it";
        if (context.prometheus() == null) {
            return CheckResult.warn(GROUP, "redis", here + "; no Prometheus to ask what the pods saw", fix);
        }
        try {
            List<Sample> errors = context.prometheus().query(
                    "sum(increase(" + REDIS_ERRORS + "{namespace=\"" + context.namespace() + "\"}[10m]))", Instant.now());
            if (errors.isEmpty()) {
                return CheckResult.warn(GROUP, "redis", here + "; Prometheus has no " + REDIS_ERRORS
                        + " from the proxy pods to tell what they saw", fix);
            }
            double count = errors.get(0).value();
            if (count >= 1) {
                return CheckResult.fail(GROUP, "redis", here + "; the proxy pods counted " + Math.round(count)
                        + " unanswered Redis calls in the last 10 minutes (" + REDIS_ERRORS + ")",
                        "check the ElastiCache endpoint, its security group (the pods' subnets) and the proxy's --redis URL");
            }
            return CheckResult.warn(GROUP, "redis", here + "; the proxy pods counted no unanswered Redis calls in the last 10 minutes ("
                    + REDIS_ERRORS + ")", fix);
        } catch (ChatbotctlException e) {
            return CheckResult.warn(GROUP, "redis", here + "; Prometheus could not be asked what the pods saw: " + e.getMessage(), fix);
        }
    }
}
