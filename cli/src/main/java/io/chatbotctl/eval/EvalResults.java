package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of {@code eval run}, as written to {@code --out} (schema in docs/eval.md).
 *
 * @param schema      {@code chatbotctl.eval.results/v1}
 * @param startedAt   when the run started
 * @param endpoint    the OpenAI base URL asked
 * @param headers     extra headers sent with every request (e.g. a canary's routing header)
 * @param servedModel the model as the server reported it, or null when it did not list it
 * @param cache       where answers were cached, or why not
 * @param fingerprint what the results depend on
 * @param summary     counts, rates and latency percentiles
 * @param categories  the same per category, in the order of first appearance
 * @param cases       one entry per case and repetition, in dataset order
 */
public record EvalResults(String schema, Instant startedAt, String endpoint, Map<String, String> headers,
                          ServedModel servedModel, CacheUse cache, Fingerprint fingerprint, Summary summary,
                          List<CategorySummary> categories, List<CaseResult> cases) implements Tabular {
    public static final String SCHEMA = "chatbotctl.eval.results/v1";

    /**
     * @param cases          entries (case × repetition)
     * @param passed         passing entries
     * @param failed         quality failures
     * @param errors         infrastructure errors (no answer after retries)
     * @param passRate       passed / (passed + failed); errors are left out; null when nothing completed
     * @param infraErrorRate errors / cases
     * @param latencyP50Millis median latency of fresh (uncached) answers, or null
     * @param latencyP95Millis 95th percentile of the same, or null
     * @param freshAnswers   answers asked (not from the cache): the latency sample
     * @param cachedAnswers  answers read from the response cache
     * @param durationSeconds wall time of the run
     */
    public record Summary(int cases, int passed, int failed, int errors, Double passRate, double infraErrorRate,
                         Double latencyP50Millis, Double latencyP95Millis, int freshAnswers, int cachedAnswers,
                         double durationSeconds) {
    }

    /**
     * @param dir where answers were read and written, or null when the cache was off
     * @param off why the cache was off ({@code --no-cache}, no home directory, a server that does not list the model)
     */
    public record CacheUse(String dir, String off) {
        public static CacheUse on(java.nio.file.Path dir) {
            return new CacheUse(dir.toString(), null);
        }

        public static CacheUse off(String why) {
            return new CacheUse(null, why);
        }
    }

    /** @param passRate passed / (passed + failed), or null */
    public record CategorySummary(String category, int cases, int passed, int failed, int errors, Double passRate) {
    }

    public static EvalResults of(Instant startedAt, String endpoint, Fingerprint fingerprint, List<CaseResult> cases,
                                 double durationSeconds) {
        return of(startedAt, endpoint, Map.of(), null, CacheUse.off("not asked"), fingerprint, cases, durationSeconds);
    }

    public static EvalResults of(Instant startedAt, String endpoint, Map<String, String> headers, ServedModel servedModel,
                                 CacheUse cache, Fingerprint fingerprint, List<CaseResult> cases, double durationSeconds) {
        return new EvalResults(SCHEMA, startedAt, endpoint, headers, servedModel, cache, fingerprint,
                summarise(cases, durationSeconds), categories(cases), List.copyOf(cases));
    }

    /**
     * Exit 4 when no case got an answer: then the endpoint, not the model, failed, and a gate on these results would
     * judge nothing. Called after the results are shown, so the errors they record are seen.
     */
    public void requireAnswers() {
        if (!cases.isEmpty() && summary.errors() == summary.cases()) {
            throw new ExternalSystemException("every request failed; the first: " + cases.get(0).error(),
                    "check that " + endpoint + " serves chat completions (the results record each error)");
        }
    }

    static Summary summarise(List<CaseResult> cases, double durationSeconds) {
        int passed = (int) cases.stream().filter(CaseResult::passed).count();
        int failed = (int) cases.stream().filter(CaseResult::failed).count();
        int errors = (int) cases.stream().filter(CaseResult::errored).count();
        List<Double> latencies = new ArrayList<>();
        for (CaseResult c : cases) {
            if (!c.errored() && !c.cached() && c.latencyMillis() != null) {
                latencies.add(c.latencyMillis());
            }
        }
        return new Summary(cases.size(), passed, failed, errors, rate(passed, passed + failed),
                cases.isEmpty() ? 0 : (double) errors / cases.size(), Statistics.percentile(latencies, 50),
                Statistics.percentile(latencies, 95), latencies.size(),
                (int) cases.stream().filter(c -> !c.errored() && c.cached()).count(), durationSeconds);
    }

    static List<CategorySummary> categories(List<CaseResult> cases) {
        Map<String, List<CaseResult>> by = new LinkedHashMap<>();
        cases.forEach(c -> by.computeIfAbsent(c.category(), k -> new ArrayList<>()).add(c));
        List<CategorySummary> list = new ArrayList<>();
        by.forEach((category, list1) -> {
            int p = (int) list1.stream().filter(CaseResult::passed).count();
            int f = (int) list1.stream().filter(CaseResult::failed).count();
            int e = (int) list1.stream().filter(CaseResult::errored).count();
            list.add(new CategorySummary(category, list1.size(), p, f, e, rate(p, p + f)));
        });
        return list;
    }

    static Double rate(int k, int n) {
        return n == 0 ? null : (double) k / n;
    }

    public boolean repeated() {
        return cases.stream().anyMatch(c -> c.repeat() > 1);
    }

    public static EvalResults read(Path file) {
        try {
            JsonNode node = Json.mapper().readTree(Files.readString(file));
            if (node == null || !SCHEMA.equals(node.path("schema").asText())) {
                throw new InvalidInputException(file + " is not eval results (expected schema " + SCHEMA + ")",
                        "give a file written by 'chatbotctl eval run --out FILE'");
            }
            EvalResults results = Json.mapper().treeToValue(node, EvalResults.class);
            if (results.fingerprint() == null || results.summary() == null || results.cases() == null
                    || results.categories() == null || results.cases().stream().anyMatch(c -> c == null || c.id() == null
                    || c.status() == null || c.category() == null || c.severity() == null || c.assertions() == null)) {
                throw new InvalidInputException(file + " is incomplete eval results (fingerprint, summary, categories "
                        + "and cases with id, status, category, severity and assertions are required)",
                        "give a file written by 'chatbotctl eval run --out FILE'");
            }
            return results;
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("no such results file: " + file, "write it with 'chatbotctl eval run --out " + file + "'");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read results " + file + ": " + e.getMessage().lines().findFirst().orElse(""),
                    "give a file written by 'chatbotctl eval run --out FILE'");
        }
    }

    public String toJson() {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("CATEGORY", "CASES", "PASSED", "FAILED", "ERRORS", "PASS RATE");
        for (CategorySummary c : categories) {
            table.row(c.category(), c.cases(), c.passed(), c.failed(), c.errors(), percent(c.passRate()));
        }
        table.row("(all)", summary.cases(), summary.passed(), summary.failed(), summary.errors(), percent(summary.passRate()));
        table.note("");
        table.note("model " + fingerprint.modelId() + " at " + endpoint + (headers == null || headers.isEmpty() ? ""
                : " with " + String.join(", ", headers.keySet())) + ", latency p50 " + millis(summary.latencyP50Millis())
                + ", p95 " + millis(summary.latencyP95Millis()) + " (" + summary.freshAnswers() + " fresh answers), "
                + String.format(Locale.ROOT, "%.1f s", summary.durationSeconds()));
        table.note(cacheLine());
        boolean repeated = repeated();
        for (CaseResult c : cases) {
            if (!c.passed()) {
                table.note(c.status().toUpperCase(Locale.ROOT) + " " + c.displayId(repeated) + " [" + c.category() + ", "
                        + c.severity() + "]: " + Judge.abbreviate(c.why()));
            }
        }
        return table.build();
    }

    /** How many answers came from the cache, and which cache. */
    String cacheLine() {
        if (cache == null || cache.dir() == null) {
            return "answers from the cache: 0 (cache off: " + (cache == null ? "unknown" : cache.off()) + ")";
        }
        return "answers from the cache: " + summary.cachedAnswers() + " of " + (summary.freshAnswers() + summary.cachedAnswers())
                + " (" + cache.dir() + "; --no-cache asks the model every time)";
    }

    static String percent(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    static String millis(Double ms) {
        return ms == null ? "-" : Math.round(ms) + " ms";
    }
}
