package io.chatbotctl.eval;

import io.chatbotctl.core.InvalidInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code eval gate}: checks results against the thresholds and, optionally, against a baseline run. */
public final class Gate {

    /**
     * {@code eval gate} from files: reads the results, the thresholds and the optional baseline, decides, and writes
     * the Markdown and JUnit reports (each only when its path is not null).
     */
    public GateResult evaluate(Path results, Path thresholds, Path baseline, Path markdown, Path junit) {
        return evaluate(results, thresholds, baseline, null, markdown, junit);
    }

    /**
     * The same, with the baseline either given ({@code baseline}) or picked from {@code baselineDir} by the model and
     * revision the results were run against ({@link Baselines}); at most one of the two. A model revision without a
     * baseline there makes the gate inconclusive (exit 5), its other rules still checked and reported.
     */
    public GateResult evaluate(Path results, Path thresholds, Path baseline, Path baselineDir, Path markdown, Path junit) {
        if (baseline != null && baselineDir != null) {
            throw new InvalidInputException("--baseline and --baseline-dir exclude each other", "give one of them");
        }
        EvalResults current = EvalResults.read(results);
        Thresholds rules = Thresholds.load(thresholds);
        GateCheck picked = null;
        if (baselineDir != null) {
            Path file = Baselines.fileFor(baselineDir, current, results);
            picked = Baselines.check(baselineDir, file);
            baseline = GateCheck.PASS.equals(picked.status()) ? file : null;
        }
        EvalResults base = baseline == null ? null : EvalResults.read(baseline);
        GateResult gate = evaluate(current, rules, base, picked);
        if (markdown != null) {
            MarkdownReport.writeGate(markdown, gate);
        }
        if (junit != null) {
            JunitReport.writeGate(junit, gate);
        }
        return gate;
    }

    public GateResult evaluate(EvalResults results, Thresholds t, EvalResults baseline) {
        return evaluate(results, t, baseline, null);
    }

    /** @param baselineSource the check saying which stored baseline was picked (or that none exists), or null */
    private GateResult evaluate(EvalResults results, Thresholds t, EvalResults baseline, GateCheck baselineSource) {
        List<GateCheck> checks = new ArrayList<>();
        EvalResults.Summary s = results.summary();
        boolean repeated = results.repeated();
        int completed = s.passed() + s.failed();

        if (t.maxInfraErrorRate() != null) {
            boolean ok = s.infraErrorRate() <= t.maxInfraErrorRate();
            checks.add(ok ? GateCheck.of("infra error rate", true, pct(s.infraErrorRate()), "<= " + pct(t.maxInfraErrorRate()), "")
                    : GateCheck.inconclusive("infra error rate", pct(s.infraErrorRate()), "<= " + pct(t.maxInfraErrorRate()),
                    s.errors() + " of " + s.cases() + " got no answer (see the errors); rerun when the endpoint is healthy"));
        }
        checks.add(completed >= t.minCases()
                ? GateCheck.of("answered cases", true, String.valueOf(completed), ">= " + t.minCases(), "")
                : GateCheck.inconclusive("answered cases", String.valueOf(completed), ">= " + t.minCases(), "too few answered cases to decide"));

        if (t.minPassRate() != null) {
            checks.add(s.passRate() == null ? GateCheck.inconclusive("pass rate", "-", ">= " + pct(t.minPassRate()), "no answered cases")
                    : GateCheck.of("pass rate", s.passRate() >= t.minPassRate(), pct(s.passRate()), ">= " + pct(t.minPassRate()),
                    s.failed() + " of " + completed + " failed"));
        }
        if (t.minPassRateLowerBound() != null && completed > 0) {
            double lower = Statistics.wilsonLowerBound(s.passed(), completed, Statistics.Z95);
            checks.add(GateCheck.of("pass rate 95% lower bound", lower >= t.minPassRateLowerBound(), pct(lower),
                    ">= " + pct(t.minPassRateLowerBound()), "Wilson lower bound of " + s.passed() + "/" + completed));
        }

        Map<String, EvalResults.CategorySummary> byCategory = new LinkedHashMap<>();
        results.categories().forEach(c -> byCategory.put(c.category(), c));
        List<String> failingCategories = new ArrayList<>();
        t.categories().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String name = "category " + e.getKey();
            EvalResults.CategorySummary c = byCategory.get(e.getKey());
            if (c == null || c.passRate() == null) {
                checks.add(GateCheck.inconclusive(name, "-", ">= " + pct(e.getValue()), "no answered cases in this category"));
                return;
            }
            boolean ok = c.passRate() >= e.getValue();
            if (!ok) {
                failingCategories.add(e.getKey());
            }
            checks.add(GateCheck.of(name, ok, pct(c.passRate()), ">= " + pct(e.getValue()),
                    "failing: " + String.join(", ", ids(results, e.getKey(), repeated))));
        });

        if (t.criticalMustPass()) {
            List<String> critical = results.cases().stream().filter(c -> c.failed() && c.severity().equals("critical"))
                    .map(c -> c.displayId(repeated)).toList();
            long criticalErrors = results.cases().stream().filter(c -> c.errored() && c.severity().equals("critical")).count();
            checks.add(GateCheck.of("critical cases", critical.isEmpty(), critical.size() + " failing", "0 failing",
                    String.join(", ", critical)));
            if (critical.isEmpty() && criticalErrors > 0) {
                checks.set(checks.size() - 1, GateCheck.inconclusive("critical cases", "0 failing", "0 failing",
                        criticalErrors + " critical cases got no answer"));
            }
        }

        if (t.maxLatencyP95() != null) {
            long limit = t.maxLatencyP95().toMillis();
            checks.add(s.latencyP95Millis() == null
                    ? GateCheck.inconclusive("latency p95", "-", "<= " + limit + " ms", "no fresh answers (all cached or errored): run with --no-cache")
                    : GateCheck.of("latency p95", s.latencyP95Millis() <= limit, Math.round(s.latencyP95Millis()) + " ms",
                    "<= " + limit + " ms", "over " + s.freshAnswers() + " fresh answers"));
        }

        if (baselineSource != null) {
            checks.add(baselineSource);
        }
        BaselineComparison comparison = null;
        if (baseline != null) {
            comparison = compare(results, baseline);
            checks.addAll(baselineChecks(comparison, t));
        }

        List<GateResult.FailingCase> failing = new ArrayList<>();
        for (CaseResult c : results.cases()) {
            if (!c.passed()) {
                failing.add(new GateResult.FailingCase(c.displayId(repeated), c.category(), c.severity(), c.status(), c.why()));
            }
        }
        return GateResult.of(results.fingerprint().modelId(), checks, failing, failingCategories, comparison, results);
    }

    static BaselineComparison compare(EvalResults results, EvalResults baseline) {
        List<String> diffs = baseline.fingerprint().differences(results.fingerprint());
        if (!diffs.isEmpty()) {
            throw new InvalidInputException("cannot compare with the baseline: the fingerprints differ in "
                    + String.join(", ", diffs) + " (baseline vs results)",
                    "run the baseline and the candidate with the same datasets, system prompt and parameters");
        }
        Map<String, Boolean> now = outcomes(results);
        Map<String, Boolean> before = outcomes(baseline);
        List<String> passToFail = new ArrayList<>();
        List<String> failToPass = new ArrayList<>();
        int pairs = 0;
        int passedBefore = 0;
        int passedNow = 0;
        for (Map.Entry<String, Boolean> e : now.entrySet()) {
            Boolean was = before.get(e.getKey());
            if (was == null || e.getValue() == null) {
                continue;
            }
            pairs++;
            passedBefore += was ? 1 : 0;
            passedNow += e.getValue() ? 1 : 0;
            if (was && !e.getValue()) {
                passToFail.add(e.getKey());
            } else if (!was && e.getValue()) {
                failToPass.add(e.getKey());
            }
        }
        return new BaselineComparison(baseline.fingerprint().modelId(), pairs, passToFail, failToPass,
                Statistics.mcNemarExactP(passToFail.size(), failToPass.size()),
                pairs == 0 ? 0 : (double) passedBefore / pairs, pairs == 0 ? 0 : (double) passedNow / pairs,
                Statistics.wilsonLowerBound(passedBefore, pairs, Statistics.Z95),
                Statistics.wilsonLowerBound(passedNow, pairs, Statistics.Z95));
    }

    private static List<GateCheck> baselineChecks(BaselineComparison c, Thresholds t) {
        List<GateCheck> checks = new ArrayList<>();
        if (c.pairs() == 0) {
            checks.add(GateCheck.inconclusive("baseline pairs", "0", ">= 1", "no case answered in both runs"));
            return checks;
        }
        int b = c.passToFail().size();
        int cc = c.failToPass().size();
        if (t.maxFlips() != null) {
            checks.add(GateCheck.of("baseline flips pass->fail", b <= t.maxFlips(), String.valueOf(b), "<= " + t.maxFlips(),
                    String.join(", ", c.passToFail())));
        }
        boolean significantRegression = b > cc && c.mcNemarP() < t.significance();
        checks.add(GateCheck.of("baseline McNemar", !significantRegression,
                "p = " + GateResult.p(c.mcNemarP()) + " (" + b + " pass->fail, " + cc + " fail->pass)",
                "not p < " + t.significance() + " with more pass->fail",
                "a significant regression against " + c.baselineModel()));
        if (t.maxPassRateDrop() != null) {
            double drop = c.baselinePassRate() - c.passRate();
            checks.add(GateCheck.of("baseline pass rate drop", drop <= t.maxPassRateDrop() + 1e-12,
                    pct(Math.max(0, drop)) + " (" + pct(c.baselinePassRate()) + " -> " + pct(c.passRate())
                            + ", 95% lower bound " + pct(c.baselineWilsonLowerBound()) + " -> " + pct(c.wilsonLowerBound()) + ")",
                    "<= " + pct(t.maxPassRateDrop()), "the pass rate fell by more than allowed"));
        }
        return checks;
    }

    /** Per case id: true when every answered repetition passed, false when one failed, null when none was answered. */
    static Map<String, Boolean> outcomes(EvalResults results) {
        Map<String, Boolean> outcomes = new LinkedHashMap<>();
        for (CaseResult c : results.cases()) {
            if (c.errored()) {
                outcomes.putIfAbsent(c.id(), null);
                continue;
            }
            Boolean before = outcomes.get(c.id());
            outcomes.put(c.id(), (before == null || before) && c.passed());
        }
        return outcomes;
    }

    private static List<String> ids(EvalResults results, String category, boolean repeated) {
        return results.cases().stream().filter(c -> c.category().equals(category) && c.failed())
                .map(c -> c.displayId(repeated)).toList();
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }
}
