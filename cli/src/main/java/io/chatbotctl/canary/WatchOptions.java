package io.chatbotctl.canary;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How to run {@code canary watch}.
 *
 * @param namespace    replaces {@code {{namespace}}}
 * @param steps        canary weights in percent, one per passed interval, e.g. 5, 10, 25, 50
 * @param interval     length of one analysis interval
 * @param autoPromote  promote after the last step passed
 * @param autoRollback roll back when the canary failed
 * @param dryRun       observe and judge, change nothing
 * @param from         replay start (a past window), or null for live
 * @param to           replay end, or null
 * @param out          where to write the JSON report, or null
 */
public record WatchOptions(String namespace, List<Integer> steps, Duration interval, boolean autoPromote,
                           boolean autoRollback, boolean dryRun, Instant from, Instant to, Path out) {

    public WatchOptions {
        steps = List.copyOf(steps);
    }

    public boolean replay() {
        return from != null;
    }
}
