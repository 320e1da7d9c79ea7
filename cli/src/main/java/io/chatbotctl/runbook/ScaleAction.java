package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

import java.util.List;
import java.util.Map;

/**
 * Scales the Deployment to {@code replicas} (a number, or {@code hpa-max}). A number outside the HPA's bounds is
 * proposed with a warning, since the HPA will move it back.
 */
final class ScaleAction implements Action {

    @Override
    public Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected) {
        Deployment deployment = Hpas.deployment(context);
        if (deployment == null) {
            return Proposal.refused("scale " + context.names.deployment(), "no Deployment " + context.names.deployment() + " in " + context.namespace);
        }
        int current = Hpas.replicas(deployment);
        HorizontalPodAutoscaler hpa = Hpas.get(context);
        String wanted = Params.text(params, "replicas", "hpa-max");
        int target;
        String warning = null;
        if (wanted.equals("hpa-max")) {
            if (hpa == null) {
                return Proposal.refused("scale to the HPA maximum", "there is no HPA " + context.names.hpa()
                        + " to take the maximum from; scale by hand with kubectl scale");
            }
            target = Hpas.bounds(hpa).max();
        } else {
            target = (int) Params.number(params, "replicas", current);
            if (hpa != null) {
                Hpas.Bounds b = Hpas.bounds(hpa);
                if (target > b.max() || target < b.min()) {
                    warning = target + " replicas is outside the HPA bounds " + b.min() + ".." + b.max()
                            + ": the HPA will scale it back; raise maxReplicas (or pin-hpa) to keep it";
                }
            }
        }
        if (current >= target) {
            return Proposal.nothingToDo(context.names.deployment() + " already has " + current + " replicas (target " + target + ")");
        }
        String command = "kubectl -n " + context.namespace + " scale deployment/" + context.names.deployment() + " --replicas=" + target;
        return Proposal.of("scale deployment " + context.names.deployment() + " from " + current + " to " + target + " replicas"
                        + (wanted.equals("hpa-max") ? " (the HPA maximum)" : ""), List.of(command), warning,
                () -> {
                    context.client.apps().deployments().inNamespace(context.namespace).withName(context.names.deployment())
                            .edit(d -> { d.getSpec().setReplicas(target); return d; });
                    return Proposal.Outcome.done("scaled " + context.names.deployment() + " to " + target + " replicas");
                });
    }
}
