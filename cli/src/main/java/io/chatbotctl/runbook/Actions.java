package io.chatbotctl.runbook;

import java.util.Map;

/** The built-in actions, by the name a runbook's {@code act:} uses. */
final class Actions {
    private Actions() {}

    static final Map<String, Action> ALL = Map.of(
            "scale", new ScaleAction(),
            "pin-hpa", new PinHpaAction(),
            "recycle-pod", new RecyclePodAction(),
            "rollout-restart", new RolloutRestartAction(),
            "cordon", new CordonAction(),
            "drain", new DrainAction(),
            "delete-evicted", new DeleteEvictedAction(),
            "set-config", new SetConfigAction(),
            "raise-memory-limit", new RaiseMemoryLimitAction());
}
