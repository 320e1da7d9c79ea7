package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a {@link LoadTestPlan}: one run or a sweep, then the JSON and HTML reports and the comparison. */
public final class LoadTestRunner {
    private LoadTestRunner() {}

    public static LoadTestReport run(LoadTestPlan plan, Progress progress) {
        checkWritable(plan.out());
        checkWritable(plan.html());
        if (plan.compare() != null && !plan.compare().toFile().isFile()) {
            throw new InvalidInputException("--compare: no such report " + plan.compare());
        }
        JsonNode baseline = plan.compare() == null ? null : Comparison.readReport(plan.compare());
        LoadTestResult result = null;
        SweepResult sweep = null;
        if (plan.sweep() == null) {
            result = LoadTest.run(plan.config(), progress);
        } else {
            sweep = sweep(plan, progress);
        }
        List<String> files = new ArrayList<>();
        Object document = result != null ? result : sweep;
        if (plan.out() != null) {
            byte[] json = json(document);
            AtomicFiles.write(plan.out(), out -> out.write(json));
            files.add(plan.out().toString());
        }
        LoadTestResult shown = result != null ? result : shownStep(sweep);
        if (plan.html() != null) {
            AtomicFiles.writeString(plan.html(), HtmlReport.render(shown, sweep));
            files.add(plan.html().toString());
        }
        if (plan.config().hdrLogDir() != null) {
            files.add(plan.config().hdrLogDir() + "/");
        }
        Comparison comparison = plan.compare() == null ? null : Comparison.of(plan.compare(), baseline, shown);
        return new LoadTestReport(result, sweep, comparison, files);
    }

    private static SweepResult sweep(LoadTestPlan plan, Progress progress) {
        List<SweepResult.Step> steps = new ArrayList<>();
        Double best = null;
        for (double value : plan.sweep().values()) {
            LoadTestConfig config = plan.sweep().apply(plan.config(), value);
            if (config.hdrLogDir() != null) {
                config = config.toBuilder().hdrLogDir(config.hdrLogDir().resolve(plan.sweep().parameter() + "-"
                        + SweepResult.fmt(value))).build();
            }
            progress.log("sweep: " + plan.sweep().parameter() + "=" + SweepResult.fmt(value));
            LoadTestResult r = LoadTest.run(config, progress);
            boolean passed = r.valid() && r.breaches().isEmpty();
            steps.add(new SweepResult.Step(value, passed, r));
            progress.log(String.format(java.util.Locale.ROOT, "sweep: %s=%s %s, %.2f req/s, ttft p99 %s ms",
                    plan.sweep().parameter(), SweepResult.fmt(value), passed ? "passed" : "failed",
                    r.results().requestsPerSecond(), LoadTestResult.f(r.results().latencies().get("ttft").p99Ms())));
            if (passed && (best == null || value > best)) {
                best = value;
            }
        }
        return new SweepResult(LoadTestResult.SCHEMA_VERSION, plan.sweep().parameter(), steps, best);
    }

    /** The step a sweep's HTML and comparison show: the best one, else the last. */
    private static LoadTestResult shownStep(SweepResult sweep) {
        for (SweepResult.Step s : sweep.steps()) {
            if (sweep.best() != null && s.value() == sweep.best()) {
                return s.result();
            }
        }
        return sweep.steps().get(sweep.steps().size() - 1).result();
    }

    private static byte[] json(Object document) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the report", e);
        }
    }

    private static void checkWritable(Path file) {
        if (file == null) {
            return;
        }
        if (file.toFile().isDirectory()) {
            throw new InvalidInputException("cannot write " + file + ": it is a directory");
        }
    }

}
