package io.chatbotctl.kube;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;

import java.util.List;
import java.util.Optional;

/**
 * An HPA's status conditions (AbleToScale, ScalingActive, ScalingLimited), read the same way by {@code doctor} and
 * the runbooks. ScalingActive=False means the HPA cannot compute a replica count: its metric is not served.
 */
public final class HpaConditions {
    public static final String SCALING_ACTIVE = "ScalingActive";
    public static final String ABLE_TO_SCALE = "AbleToScale";
    public static final String SCALING_LIMITED = "ScalingLimited";

    private HpaConditions() {}

    public static List<HorizontalPodAutoscalerCondition> all(HorizontalPodAutoscaler hpa) {
        return hpa.getStatus() == null || hpa.getStatus().getConditions() == null ? List.of() : hpa.getStatus().getConditions();
    }

    public static Optional<HorizontalPodAutoscalerCondition> find(HorizontalPodAutoscaler hpa, String type) {
        return all(hpa).stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** {@code Type=Status (Reason): message}, for evidence. */
    public static String describe(HorizontalPodAutoscalerCondition c) {
        return c.getType() + "=" + c.getStatus() + (c.getReason() == null ? "" : " (" + c.getReason() + ")")
                + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
