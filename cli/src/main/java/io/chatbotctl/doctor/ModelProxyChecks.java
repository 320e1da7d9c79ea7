package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.deploy.MissingSecrets;
import io.chatbotctl.modelsync.ManifestProbe;
import io.chatbotctl.proxy.RedisPing;

import java.time.Duration;
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
            return CheckResult.fail(GROUP, "redis", host + " (" + from + "): " + e.getMessage(),
                    e.hint() != null ? e.hint() : "check the URL and that Redis runs");
        }
    }
}
