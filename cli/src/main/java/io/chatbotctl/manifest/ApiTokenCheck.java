package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A GPU pod mounts no Kubernetes API token unless it says why: the pod's {@code automountServiceAccountToken},
 * else its ServiceAccount's, else Kubernetes' default (true). IRSA's AWS token is a separate projected volume
 * that the EKS pod identity webhook adds, so turning the API token off does not affect S3 access.
 */
final class ApiTokenCheck {
    private ApiTokenCheck() {}

    static final String CHECK = "no-api-token";
    /** On the workload or its pod template: why a container needs the API token. */
    static final String REASON_ANNOTATION = "chatbotctl.io/needs-api-token";

    static void run(LintContext ctx) {
        for (ObjectNode w : ctx.gpuWorkloads()) {
            check(ctx, w);
        }
    }

    private static void check(LintContext ctx, ObjectNode w) {
        JsonNode pod = LintContext.podSpec(w);
        String account = pod.path("serviceAccountName").asText("default");
        String source;
        boolean mounted;
        if (pod.path("automountServiceAccountToken").isBoolean()) {
            mounted = pod.path("automountServiceAccountToken").asBoolean();
            source = "the pod sets automountServiceAccountToken: " + mounted;
        } else {
            JsonNode sa = serviceAccount(ctx, account);
            if (sa != null && sa.path("automountServiceAccountToken").isBoolean()) {
                mounted = sa.path("automountServiceAccountToken").asBoolean();
                source = "ServiceAccount " + account + " sets automountServiceAccountToken: " + mounted;
            } else {
                mounted = true;
                source = "neither the pod nor ServiceAccount " + account + " sets automountServiceAccountToken (Kubernetes mounts it)";
            }
        }
        if (!mounted) {
            ctx.ok(CHECK, w, "no Kubernetes API token in the pod (" + source + ")");
            return;
        }
        String reason = reason(w);
        if (reason != null) {
            ctx.ok(CHECK, w, "mounts a Kubernetes API token: " + REASON_ANNOTATION + " says \"" + reason + "\"");
        } else {
            ctx.error(CHECK, w, "mounts a Kubernetes API token: " + source + "; set automountServiceAccountToken: false,"
                    + " or annotate the workload " + REASON_ANNOTATION + ": \"<why a container calls the API>\"");
        }
    }

    private static String reason(ObjectNode w) {
        for (JsonNode annotations : new JsonNode[] {w.path("metadata").path("annotations"),
                w.path("spec").path("template").path("metadata").path("annotations")}) {
            String reason = annotations.path(REASON_ANNOTATION).asText("").strip();
            if (!reason.isEmpty()) {
                return reason;
            }
        }
        return null;
    }

    private static JsonNode serviceAccount(LintContext ctx, String name) {
        for (ObjectNode o : ctx.manifests.objects()) {
            if (KubeObjects.kind(o).equals("ServiceAccount") && KubeObjects.name(o).equals(name)) {
                return o;
            }
        }
        return null;
    }
}
