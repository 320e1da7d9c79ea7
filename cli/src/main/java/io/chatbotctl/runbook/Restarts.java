package io.chatbotctl.runbook;

import java.time.Instant;
import java.util.HashMap;

/** {@code kubectl rollout restart}: a new restartedAt annotation on the pod template. */
final class Restarts {
    static final String ANNOTATION = "kubectl.kubernetes.io/restartedAt";

    private Restarts() {}

    static String command(RunContext context) {
        return "kubectl -n " + context.namespace + " rollout restart deployment/" + context.names.deployment();
    }

    static void restart(RunContext context) {
        String now = Instant.now(context.clock).toString();
        context.client.apps().deployments().inNamespace(context.namespace).withName(context.names.deployment()).edit(d -> {
            var meta = d.getSpec().getTemplate().getMetadata();
            if (meta.getAnnotations() == null) {
                meta.setAnnotations(new HashMap<>());
            }
            meta.getAnnotations().put(ANNOTATION, now);
            return d;
        });
    }
}
