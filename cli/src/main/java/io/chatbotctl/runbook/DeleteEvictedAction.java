package io.chatbotctl.runbook;

import java.util.List;
import java.util.Map;

/** Deletes the Failed pod objects eviction leaves behind (they hold no resources, only clutter {@code get pods}). */
final class DeleteEvictedAction implements Action {

    @Override
    public Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected) {
        List<String> names = Workload.pods(context, null).stream().filter(Workload::evicted)
                .map(p -> p.getMetadata().getName()).toList();
        if (names.isEmpty()) {
            return Proposal.nothingToDo("no evicted pod left");
        }
        return Proposal.of("delete evicted pod " + String.join(", ", names),
                List.of("kubectl -n " + context.namespace + " delete pod --field-selector=status.phase=Failed -l "
                        + context.names.appLabel()), null, () -> {
                    names.forEach(n -> context.client.pods().inNamespace(context.namespace).withName(n).delete());
                    return Proposal.Outcome.done("deleted " + String.join(", ", names));
                });
    }
}
