package io.chatbotctl.deploy;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;

/**
 * What {@code deploy} or {@code rollback} did.
 *
 * @param environment     environment name
 * @param namespace       namespace
 * @param status          {@code deployed}, {@code rolled-back} (the new release failed and the previous one was restored),
 *                        {@code failed} (nothing restored), or {@code dry-run}
 * @param release         the release this run recorded (for a dry run: the number it would get)
 * @param image           the vLLM image of that release
 * @param gitCommit       the commit it was made from
 * @param changes         what happened to each object (plans, with diffs, for a dry run)
 * @param pruned          objects deleted because they left the manifests
 * @param rollout         the rollout's last state, in kubectl's words
 * @param podProblems     why new pods failed, one line per pod
 * @param rolledBackTo    the release restored after a failure, or null
 * @param rollbackRelease the release recording that restore, or null
 * @param durationSeconds wall time of the command
 */
public record DeployResult(String environment, String namespace, String status, int release, String image, String gitCommit,
                           List<ObjectChange> changes, List<String> pruned, String rollout, List<String> podProblems,
                           Integer rolledBackTo, Integer rollbackRelease, double durationSeconds) implements Tabular {

    public boolean failed() {
        return "failed".equals(status) || "rolled-back".equals(status);
    }

    /** One line for the error message of a failed run. */
    public String failureMessage() {
        StringBuilder sb = new StringBuilder("rollout of release v").append(release).append(" failed: ").append(rollout);
        if (!podProblems.isEmpty()) {
            sb.append("; ").append(String.join("; ", podProblems));
        }
        if (rolledBackTo != null) {
            sb.append("; rolled back to v").append(rolledBackTo).append(" (recorded as v").append(rollbackRelease).append(')');
        }
        return sb.toString();
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("KIND", "NAME", "ACTION");
        for (ObjectChange change : changes) {
            table.row(change.kind(), change.name(), change.action());
        }
        for (String p : pruned) {
            int slash = p.indexOf('/');
            table.row(p.substring(0, slash), p.substring(slash + 1), "pruned");
        }
        table.note("");
        switch (status) {
            case "dry-run" -> table.note("dry run: nothing applied; would record release v" + release + " (" + image + ")");
            case "deployed" -> table.note("release v" + release + " deployed to " + environment + " (" + image + ", commit "
                    + gitCommit + ") in " + String.format("%.1fs", durationSeconds));
            default -> table.note("release v" + release + " " + status + ": " + rollout);
        }
        if (rollout != null && "deployed".equals(status)) {
            table.note(rollout);
        }
        for (String problem : podProblems) {
            table.note("  " + problem);
        }
        if (rolledBackTo != null) {
            table.note("restored release v" + rolledBackTo + " (recorded as v" + rollbackRelease + ")");
        }
        return table.build();
    }
}
