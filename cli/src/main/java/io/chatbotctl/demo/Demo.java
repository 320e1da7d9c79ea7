package io.chatbotctl.demo;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;
import io.chatbotctl.core.DemoStepSkipped;
import io.chatbotctl.core.Progress;
import io.chatbotctl.demo.DemoResult.Status;

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
                    results.add(new DemoResult.StepResult(title, Status.NOT_RUN, "an earlier step failed", null, 0));
                    continue;
                }
                progress.log("[" + n++ + "/" + steps.size() + "] " + title);
                long start = System.nanoTime();
                Status status = Status.OK;
                String summary;
                String toRun = null;
                try {
                    summary = step.run(context);
                } catch (DemoStepSkipped e) {
                    status = Status.SKIPPED;
                    summary = e.getMessage();
                    toRun = e.toRun();
                } catch (ChatbotctlException e) {
                    status = Status.FAILED;
                    summary = e.getMessage();
                    failed = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ChatbotctlException(130, "interrupted", null, e);
                } catch (Exception e) {
                    status = Status.FAILED;
                    summary = e.toString();
                    failed = true;
                }
                progress.log("      " + status.label() + ": " + summary + (toRun == null ? "" : "; to run it: " + toRun));
                results.add(new DemoResult.StepResult(title, status, summary, toRun, (System.nanoTime() - start) / 1e9));
            }
        } catch (java.io.IOException e) {
            throw new io.chatbotctl.core.InvalidInputException("cannot create " + reportDir + ": " + e.getMessage());
        }
        return DemoResult.of(results, reportDir.toString());
    }
}
