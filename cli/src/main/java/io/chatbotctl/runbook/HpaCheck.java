package io.chatbotctl.runbook;

import io.chatbotctl.kube.HpaConditions;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The HPA's bounds, current and desired replicas and its conditions (AbleToScale, ScalingActive, ScalingLimited). */
final class HpaCheck implements Check {

    @Override
    public List<Finding> run(RunContext context, Map<String, Object> params) {
        HorizontalPodAutoscaler hpa = Hpas.get(context);
        List<Finding> findings = new ArrayList<>();
        if (hpa == null) {
            findings.add(Finding.info("hpa-missing", "hpa", context.names.hpa(), "no HPA " + context.names.hpa() + " in " + context.namespace));
            return findings;
        }
        Hpas.Bounds b = Hpas.bounds(hpa);
        findings.add(Finding.info(b.current() >= b.max() ? "hpa-at-max" : "hpa-headroom", "hpa", context.names.hpa(),
                "replicas " + b.current() + " (desired " + b.desired() + "), bounds " + b.min() + ".." + b.max()));
        for (HorizontalPodAutoscalerCondition c : HpaConditions.all(hpa)) {
            if (HpaConditions.SCALING_ACTIVE.equals(c.getType()) && "False".equals(c.getStatus())) {
                findings.add(Finding.problem("hpa-inactive", "hpa", context.names.hpa(),
                        "ScalingActive=False (" + c.getReason() + "): the HPA cannot read its metric", c.getMessage()));
            } else if (HpaConditions.ABLE_TO_SCALE.equals(c.getType()) && "False".equals(c.getStatus())) {
                findings.add(Finding.problem("hpa-unable", "hpa", context.names.hpa(),
                        "AbleToScale=False (" + c.getReason() + ")", c.getMessage()));
            } else if (HpaConditions.SCALING_LIMITED.equals(c.getType()) && "True".equals(c.getStatus())) {
                findings.add(Finding.info("hpa-limited", "hpa", context.names.hpa(),
                        "ScalingLimited (" + c.getReason() + "): " + c.getMessage()));
            }
        }
        return findings;
    }
}
