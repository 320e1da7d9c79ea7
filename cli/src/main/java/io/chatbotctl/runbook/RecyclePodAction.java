package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Deletes the failing pods so their ReplicaSet creates fresh ones; never the last Ready pod without --force. */
final class RecyclePodAction implements Action {

    @Override
    public Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected) {
        List<Pod> all = Workload.pods(context, null);
        List<Pod> targets = all.stream().filter(p -> Shows.pods(context, selected).contains(p.getMetadata().getName())).toList();
        if (targets.isEmpty()) {
            return Proposal.nothingToDo("no pod to recycle");
        }
        long readyLeft = Workload.readyCount(all) - Workload.readyCount(targets);
        List<String> names = targets.stream().map(p -> p.getMetadata().getName()).toList();
        String description = "delete pod " + String.join(", ", names) + " (the ReplicaSet replaces it)";
        if (Workload.readyCount(targets) > 0 && readyLeft < 1 && !context.options.force()) {
            return Proposal.refused(description, "it would delete the last Ready pod and take the service down; rerun with --force to do it anyway");
        }
        List<String> commands = new ArrayList<>();
        names.forEach(n -> commands.add("kubectl -n " + context.namespace + " delete pod " + n));
        return Proposal.of(description, commands, readyLeft < 1 ? "no Ready pod will remain (--force)" : null, () -> {
            names.forEach(n -> context.client.pods().inNamespace(context.namespace).withName(n).delete());
            return Proposal.Outcome.done("deleted pod " + String.join(", ", names));
        });
    }
}
