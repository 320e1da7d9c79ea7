package io.chatbotctl.demo;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;
import io.chatbotctl.core.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole pipeline on this machine, without a GPU or a cluster, on embedded defaults. The steps come from the
 * caller ({@code cli.DemoCommand#steps()}): the canary step sits on demo's own floor, which demo does not import.
 */
public final class Demo {

    public DemoResult run(List<DemoStep> steps, Path reportDir, Path projectDir, Progress progress) {
        List<DemoResult.StepResult> results = new ArrayList<>();
        try (DemoContext context = new DemoContext(reportDir, projectDir, progress)) {
            Files.createDirectories(reportDir);
            boolean failed = false;
            int n = 1;
            for (DemoStep step : steps) {
                String title = step.title();
                if (failed) {
                    results.add(new DemoResult.StepResult(title, "skipped", "an earlier step failed", 0));
                    continue;
                }
                progress.log("[" + n++ + "/" + steps.size() + "] " + title);
                long start = System.nanoTime();
                String status = "ok";
                String summary;
                try {
                    summary = step.run(context);
                } catch (ChatbotctlException e) {
                    status = "failed";
                    summary = e.getMessage();
                    failed = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ChatbotctlException(130, "interrupted", null, e);
                } catch (Exception e) {
                    status = "failed";
                    summary = e.toString();
                    failed = true;
                }
                progress.log("      " + status + ": " + summary);
                results.add(new DemoResult.StepResult(title, status, summary, (System.nanoTime() - start) / 1e9));
            }
        } catch (java.io.IOException e) {
            throw new io.chatbotctl.core.InvalidInputException("cannot create " + reportDir + ": " + e.getMessage());
        }
        return new DemoResult(results, reportDir.toString());
    }
}
