package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Whether a PodDisruptionBudget protects vllm-chatbot and how many evictions it allows now. */
final class PdbCheck implements Check {

    @Override
    public List<Finding> run(RunContext context, Map<String, Object> params) {
        List<PodDisruptionBudget> pdbs = Pdbs.forService(context);
        List<Finding> findings = new ArrayList<>();
        if (pdbs.isEmpty()) {
            findings.add(Finding.info("pdb-missing", "pdb", "-",
                    "no PodDisruptionBudget selects vllm-chatbot: a drain may take every replica at once"));
        }
        for (PodDisruptionBudget pdb : pdbs) {
            int allowed = Pdbs.disruptionsAllowed(pdb);
            var status = pdb.getStatus();
            String numbers = status == null ? "no status yet" : "healthy " + status.getCurrentHealthy() + ", desired healthy "
                    + status.getDesiredHealthy() + ", disruptions allowed " + allowed;
            findings.add(Finding.info(allowed == 0 ? "pdb-blocks" : "pdb-allows", "pdb", pdb.getMetadata().getName(),
                    (allowed == 0 ? "allows no eviction now - a drain waits for another replica to be Ready; " : "") + numbers));
        }
        return findings;
    }
}
