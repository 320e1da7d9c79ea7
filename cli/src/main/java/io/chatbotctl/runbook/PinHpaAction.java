package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

import java.util.List;
import java.util.Map;

/** Raises the HPA's minReplicas to its maxReplicas, so it does not scale down while the load lasts. */
final class PinHpaAction implements Action {

    @Override
    public Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected) {
        HorizontalPodAutoscaler hpa = Hpas.get(context);
        if (hpa == null) {
            return Proposal.refused("pin the HPA", "there is no HPA " + context.names.hpa());
        }
        Hpas.Bounds b = Hpas.bounds(hpa);
        if (b.min() >= b.max()) {
            return Proposal.nothingToDo(context.names.hpa() + " already has minReplicas = maxReplicas = " + b.max());
        }
        String patch = "{\"spec\":{\"minReplicas\":" + b.max() + "}}";
        return Proposal.of("set " + context.names.hpa() + " minReplicas " + b.min() + " -> " + b.max() + " (maxReplicas)",
                List.of("kubectl -n " + context.namespace + " patch hpa " + context.names.hpa() + " --type=merge -p '" + patch + "'"),
                "restore minReplicas " + b.min() + " once the peak is over",
                () -> {
                    context.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(context.namespace)
                            .withName(context.names.hpa()).edit(h -> { h.getSpec().setMinReplicas(b.max()); return h; });
                    return Proposal.Outcome.done(context.names.hpa() + " minReplicas is now " + b.max() + " (was " + b.min() + ")");
                });
    }
}
