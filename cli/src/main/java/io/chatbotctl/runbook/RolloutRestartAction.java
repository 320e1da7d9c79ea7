package io.chatbotctl.runbook;

import java.util.List;
import java.util.Map;

/** Restarts every pod of the Deployment with a rolling update (new pods first, as the rollout strategy says). */
final class RolloutRestartAction implements Action {

    @Override
    public Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected) {
        if (Hpas.deployment(context) == null) {
            return Proposal.refused("rollout restart", "no Deployment " + context.names.deployment() + " in " + context.namespace);
        }
        return Proposal.of("rollout restart deployment " + context.names.deployment(), List.of(Restarts.command(context)), null, () -> {
            Restarts.restart(context);
            return Proposal.Outcome.done("restarted deployment " + context.names.deployment());
        });
    }
}
