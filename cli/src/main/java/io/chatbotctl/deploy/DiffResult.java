package io.chatbotctl.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What {@code deploy} would change: per object, the server-side dry-run apply compared with the live object.
 *
 * @param environment environment name
 * @param namespace   namespace
 * @param objects     one entry per rendered object, plus ApplySet members that would be pruned ({@code delete})
 */
public record DiffResult(String environment, String namespace, List<ObjectChange> objects) {

    /** Whether deploy would change anything (also in the JSON output, for pipelines). */
    @JsonProperty("changed")
    public boolean changed() {
        return objects.stream().anyMatch(o -> !"none".equals(o.action()));
    }

    /** The unified diffs one after another, as {@code kubectl diff} prints them, then a summary line. */
    public String unifiedDiff() {
        StringBuilder sb = new StringBuilder();
        int created = 0, updated = 0, deleted = 0, same = 0;
        for (ObjectChange o : objects) {
            sb.append(o.diff());
            switch (o.action()) {
                case "create" -> created++;
                case "update" -> updated++;
                case "delete" -> deleted++;
                default -> same++;
            }
        }
        sb.append(String.format("%d to create, %d to update, %d to delete, %d unchanged%n", created, updated, deleted, same));
        return sb.toString();
    }
}
