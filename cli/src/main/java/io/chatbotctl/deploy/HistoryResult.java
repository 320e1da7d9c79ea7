package io.chatbotctl.deploy;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;

/**
 * The recorded releases of an environment, oldest first (the newest {@value ReleaseStore#KEEP} are kept).
 *
 * @param environment environment name
 * @param namespace   namespace holding the records
 * @param releases    releases
 */
public record HistoryResult(String environment, String namespace, List<Release> releases) implements Tabular {
    @Override
    public Table toTable() {
        Table.Builder table = Table.of("REVISION", "UPDATED", "STATUS", "IMAGE", "COMMIT", "DESCRIPTION");
        for (Release r : releases) {
            table.row(r.version(), r.deployedAt(), r.status(), r.image(), r.gitCommit(), r.description());
        }
        if (releases.isEmpty()) {
            table.note("no releases of " + environment + " in namespace " + namespace + " yet");
        }
        return table.build();
    }
}
