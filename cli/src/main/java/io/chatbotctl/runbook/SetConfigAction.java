package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.ConfigMap;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Changes one serving setting in vllm-config ({@code value}, or {@code delta} added to the current number, not
 * below {@code min}) and, with {@code restart: true}, restarts the Deployment so vLLM reads it.
 */
final class SetConfigAction implements Action {

    @Override
    public Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected) {
        String key = Params.text(params, "key", null);
        boolean restart = Params.flag(params, "restart", true);
        ConfigMap map = ConfigMaps.serving(context);
        String description = "change " + key + " in " + context.names.configMap();
        if (map == null) {
            return Proposal.refused(description, "no ConfigMap " + context.names.configMap() + " in " + context.namespace);
        }
        String name = map.getMetadata().getName();
        String current = map.getData() == null ? null : map.getData().get(key);
        if (current == null) {
            return Proposal.refused(description, name + " has no key " + key);
        }
        String next;
        if (params.containsKey("value")) {
            next = Params.text(params, "value", current);
        } else {
            BigDecimal value;
            try {
                value = new BigDecimal(current.strip()).add(BigDecimal.valueOf(Params.number(params, "delta", 0)));
            } catch (NumberFormatException e) {
                return Proposal.refused(description, key + " is '" + current + "', not a number");
            }
            double min = Params.number(params, "min", Double.NEGATIVE_INFINITY);
            if (value.doubleValue() < min) {
                return Proposal.refused(description, key + " is already " + current + "; lowering it below " + min
                        + " would leave too little for the KV cache: lower max-num-seqs or max-model-len instead");
            }
            next = value.setScale(Math.max(2, value.scale()), RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        }
        if (next.equals(current)) {
            return Proposal.nothingToDo(key + " is already " + current);
        }
        String patch = "{\"data\":{\"" + key + "\":\"" + next + "\"}}";
        List<String> commands = restart
                ? List.of("kubectl -n " + context.namespace + " patch configmap " + name + " --type=merge -p '" + patch + "'", Restarts.command(context))
                : List.of("kubectl -n " + context.namespace + " patch configmap " + name + " --type=merge -p '" + patch + "'");
        return Proposal.of("set " + key + " " + current + " -> " + next + " in " + name + (restart ? " and restart " + context.names.deployment() : ""),
                commands, "also change it in manifests/ (the next deploy would put " + current + " back)", () -> {
                    context.client.configMaps().inNamespace(context.namespace).withName(name)
                            .edit(c -> { c.getData().put(key, next); return c; });
                    if (restart) {
                        Restarts.restart(context);
                    }
                    return Proposal.Outcome.done("set " + key + "=" + next + " in " + name + (restart ? "; restarted " + context.names.deployment() : ""));
                });
    }
}
