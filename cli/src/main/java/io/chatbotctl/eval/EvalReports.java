package io.chatbotctl.eval;

import io.chatbotctl.core.AtomicFiles;

import java.nio.file.Path;

/**
 * The files an eval run writes, each atomically; a null path is not written.
 *
 * @param results  the results JSON (the input of {@code eval gate})
 * @param junit    JUnit XML, one test case per eval case
 * @param markdown a Markdown summary
 */
public record EvalReports(Path results, Path junit, Path markdown) {
    public static final EvalReports NONE = new EvalReports(null, null, null);

    public void write(EvalResults r) {
        if (results != null) {
            AtomicFiles.writeString(results, r.toJson());
        }
        if (junit != null) {
            JunitReport.writeRun(junit, r);
        }
        if (markdown != null) {
            MarkdownReport.writeRun(markdown, r);
        }
    }
}
