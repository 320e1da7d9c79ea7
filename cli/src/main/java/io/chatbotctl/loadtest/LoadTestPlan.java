package io.chatbotctl.loadtest;

import java.nio.file.Path;

/**
 * A load test as the command line asks for it: the run's configuration, an optional sweep, and the reports to write.
 *
 * @param sweep   null for a single run
 * @param out     {@code --out report.json}, or null
 * @param html    {@code --html report.html}, or null
 * @param compare {@code --compare old.json}, or null
 */
public record LoadTestPlan(LoadTestConfig config, SweepSpec sweep, Path out, Path html, Path compare) {
}
