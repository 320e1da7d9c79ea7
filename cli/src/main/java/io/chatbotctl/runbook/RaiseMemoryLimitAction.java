package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Raises the serving container's memory limit in the Deployment by {@code factor} (rounded up to whole GiB, capped
 * at the failing pod's node allocatable memory); the changed pod template rolls the pods.
 */
final class RaiseMemoryLimitAction implements Action {
    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

    @Override
    public Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected) {
        double factor = Params.number(params, "factor", 1.25);
        Deployment deployment = Hpas.deployment(context);
        String description = "raise the memory limit of " + context.names.deployment();
        if (deployment == null) {
            return Proposal.refused(description, "no Deployment " + context.names.deployment() + " in " + context.namespace);
        }
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        Container c = containers.stream().filter(x -> x.getName().equals("vllm")).findFirst().orElse(containers.get(0));
        Quantity limit = HostMemory.quantity(c, true);
        if (limit == null) {
            return Proposal.refused(description, "container " + c.getName() + " has no memory limit: it was killed under node"
                    + " memory pressure; set requests.memory to what it uses so the scheduler reserves it");
        }
        BigDecimal current = Quantity.getAmountInBytes(limit);
        BigDecimal wanted = current.multiply(BigDecimal.valueOf(factor)).divide(GIB, 0, RoundingMode.CEILING).multiply(GIB);
        Optional<BigDecimal> node = failingNode(context, selected).flatMap(n -> HostMemory.allocatable(context, n));
        if (node.isPresent() && wanted.compareTo(node.get()) > 0) {
            wanted = node.get().divide(GIB, 0, RoundingMode.FLOOR).multiply(GIB);
        }
        if (wanted.compareTo(current) <= 0) {
            return Proposal.refused(description, "the limit " + limit + " already takes the node's allocatable memory ("
                    + HostMemory.gib(node.orElse(current)) + "): lower --cpu-offload-gb/--swap-space or /dev/shm's"
                    + " sizeLimit, or move to an instance type with more memory");
        }
        String next = wanted.divide(GIB, 0, RoundingMode.UNNECESSARY).toPlainString() + "Gi";
        int index = containers.indexOf(c);
        String patch = "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/" + index
                + "/resources/limits/memory\",\"value\":\"" + next + "\"}]";
        String command = "kubectl -n " + context.namespace + " patch deployment " + context.names.deployment() + " --type=json -p '" + patch + "'";
        String name = c.getName();
        return Proposal.of("raise container " + name + "'s memory limit in " + context.names.deployment() + ": " + limit + " -> " + next
                        + node.map(n -> " (node allocatable " + HostMemory.gib(n) + ")").orElse(""),
                List.of(command), "also change it in manifests/ (the next deploy would put " + limit + " back); the pods roll", () -> {
                    context.client.apps().deployments().inNamespace(context.namespace).withName(context.names.deployment()).edit(d -> {
                        d.getSpec().getTemplate().getSpec().getContainers().stream().filter(x -> x.getName().equals(name))
                                .findFirst().orElseThrow().getResources().getLimits().put("memory", new Quantity(next));
                        return d;
                    });
                    return Proposal.Outcome.done("set the memory limit of " + name + " to " + next + "; " + context.names.deployment() + " rolls its pods");
                });
    }

    private static Optional<String> failingNode(RunContext context, List<Finding> selected) {
        for (String name : Shows.pods(context, selected)) {
            Pod pod = Shows.pod(context, name);
            if (pod != null && pod.getSpec().getNodeName() != null) {
                return Optional.of(pod.getSpec().getNodeName());
            }
        }
        return Optional.empty();
    }
}
