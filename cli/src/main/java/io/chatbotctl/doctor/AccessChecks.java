package io.chatbotctl.doctor;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.VersionInfo;

import java.util.ArrayList;
import java.util.List;

/** Access: the API server answers, and it allows every verb deploy, canary, scale and the runbooks use. */
final class AccessChecks {
    static final String GROUP = "Access";

    private AccessChecks() {}

    /** The API server's version; the caller turns a failure into exit 4 (nothing else can be checked). */
    static CheckResult apiServer(DoctorContext context, VersionInfo version) {
        String v = version.getGitVersion() != null ? version.getGitVersion()
                : version.getMajor() != null ? version.getMajor() + "." + version.getMinor() : "(version not reported)";
        return CheckResult.ok(GROUP, "api-server", context.kube.server() + " answers: Kubernetes " + v
                + " (" + context.kube.source() + ")");
    }

    static CheckResult rbac(DoctorContext context) {
        List<AccessVerbs.Verb> verbs = AccessVerbs.all(context.rendered);
        List<String> denied = new ArrayList<>();
        for (AccessVerbs.Verb v : verbs) {
            String namespace = v.namespace() == null ? null : v.namespace().isEmpty() ? context.namespace() : v.namespace();
            SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
                    .withResourceAttributes(new ResourceAttributesBuilder().withGroup(v.group()).withResource(v.resource())
                            .withSubresource(v.subresource()).withVerb(v.verb()).withNamespace(namespace).build())
                    .endSpec().build();
            SelfSubjectAccessReview answer = context.kube.call("ask whether you may " + v.describe(),
                    () -> context.client().authorization().v1().selfSubjectAccessReview().create(review));
            boolean allowed = answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
            if (!allowed) {
                String reason = answer.getStatus() == null || answer.getStatus().getReason() == null
                        || answer.getStatus().getReason().isBlank() ? "" : " (" + answer.getStatus().getReason() + ")";
                denied.add(v.describe() + (namespace == null ? "" : " in " + namespace) + reason + " - used by " + v.by());
            }
        }
        if (denied.isEmpty()) {
            return CheckResult.ok(GROUP, "rbac", "SelfSubjectAccessReview allows all " + verbs.size()
                    + " verbs deploy, canary, scale and the runbooks use in " + context.namespace());
        }
        return CheckResult.fail(GROUP, "rbac", denied.size() + " of " + verbs.size() + " verbs denied: "
                + String.join("; ", denied), "grant them to your user or CI role (a Role in " + context.namespace()
                + ", a ClusterRole for nodes); docs/doctor.md lists every verb and the command that needs it");
    }
}
