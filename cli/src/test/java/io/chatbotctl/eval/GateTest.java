package io.chatbotctl.eval;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate's rules on hand-made results, for the cases the simulator runs do not reach. */
class GateTest {
    static final Fingerprint FP = new Fingerprint("d", List.of("x.jsonl"), "none", "m",
            Map.of("seed", 42, "temperature", 0.0, "maxTokens", 512, "repeat", 1), "dev");

    static CaseResult c(String id, String category, String severity, String status, double latency) {
        return new CaseResult(id, 1, category, severity, "q", status, status.equals("error") ? null : status.equals("pass") ? 1.0 : 0.0,
                null, status.equals("error") ? null : latency, false, 1, status.equals("error") ? null : "a",
                status.equals("error") ? "HTTP 503" : null, List.of());
    }

    static EvalResults results(List<CaseResult> cases) {
        return EvalResults.of(Instant.parse("2026-11-25T10:00:00Z"), "http://x/v1", FP, cases, 1);
    }

    static Thresholds rules(String yaml) throws Exception {
        return Thresholds.parse(Json.yaml().readTree(yaml), "t.yaml");
    }

    static List<CaseResult> passing(int n, String category) {
        List<CaseResult> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(c(category + "-" + i, category, "major", "pass", 100 + i));
        }
        return list;
    }

    @Test
    void inconclusiveWinsOverFail() throws Exception {
        List<CaseResult> cases = passing(5, "refund");
        cases.add(c("bad", "refund", "critical", "fail", 10));
        cases.add(c("down1", "refund", "major", "error", 0));
        cases.add(c("down2", "refund", "major", "error", 0));
        GateResult gate = new Gate().evaluate(results(cases), rules("max_infra_error_rate: 10%\nmin_pass_rate: 90%\n"), null);
        assertEquals("inconclusive", gate.verdict());
        assertEquals(5, gate.exitCode());
        assertTrue(gate.checks().stream().anyMatch(ch -> ch.name().equals("critical cases") && ch.status().equals("fail")));
    }

    @Test
    void tooFewCasesAndMissingCategoriesAreInconclusive() throws Exception {
        GateResult few = new Gate().evaluate(results(passing(3, "refund")), rules("min_cases: 5\n"), null);
        assertEquals(5, few.exitCode());
        GateResult missing = new Gate().evaluate(results(passing(10, "refund")), rules("categories:\n  membership: 50%\n"), null);
        assertEquals(5, missing.exitCode());
        assertTrue(missing.toTable().render().contains("no answered cases in this category"));
    }

    @Test
    void latencyP95AndWilsonLowerBound() throws Exception {
        List<CaseResult> cases = passing(20, "order");
        assertEquals(0, new Gate().evaluate(results(cases), rules("max_latency_p95: 119ms\n"), null).exitCode());
        GateResult slow = new Gate().evaluate(results(cases), rules("max_latency_p95: 117ms\n"), null);
        assertEquals(1, slow.exitCode());
        assertTrue(slow.checks().stream().anyMatch(ch -> ch.name().equals("latency p95") && ch.actual().equals("118 ms")));
        // 20/20 passes: Wilson lower bound 0.839
        assertEquals(0, new Gate().evaluate(results(cases), rules("min_pass_rate_lower_bound: 83%\n"), null).exitCode());
        assertEquals(1, new Gate().evaluate(results(cases), rules("min_pass_rate_lower_bound: 85%\n"), null).exitCode());
    }

    @Test
    void aCriticalCaseWithoutAnswerIsNotAPass() throws Exception {
        List<CaseResult> cases = passing(10, "privacy");
        cases.add(c("secret", "privacy", "critical", "error", 0));
        GateResult gate = new Gate().evaluate(results(cases), rules("min_pass_rate: 90%\n"), null);
        assertEquals(5, gate.exitCode(), gate.toTable().render());
    }

    @Test
    void baselineWithFewFlipsIsNotSignificant() throws Exception {
        List<CaseResult> before = passing(30, "refund");
        List<CaseResult> after = new ArrayList<>(before);
        after.set(0, c("refund-0", "refund", "major", "fail", 1));
        GateResult gate = new Gate().evaluate(results(after), rules("baseline:\n  max_flips: 2\n"), results(before));
        assertEquals(0, gate.exitCode(), gate.toTable().render());
        assertEquals(List.of("refund-0"), gate.baseline().passToFail());
        assertEquals(1.0, gate.baseline().mcNemarP(), 1e-12, "b=1, c=0: 2 * 1/2 = 1");
        GateResult strict = new Gate().evaluate(results(after), rules("baseline:\n  max_flips: 0\n"), results(before));
        assertEquals(1, strict.exitCode());
    }

    @Test
    void differentFingerprintsAreRefusedNamingTheField() {
        Fingerprint other = new Fingerprint("d", List.of("x.jsonl"), "none", "other-model",
                Map.of("seed", 42, "temperature", 0.0, "maxTokens", 256, "repeat", 1), "dev");
        EvalResults baseline = EvalResults.of(Instant.now(), "http://y/v1", other, passing(3, "a"), 1);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Gate().evaluate(results(passing(3, "a")), new Thresholds(null, null, Map.of(), true, null, null, 1, null, 0.05, null), baseline));
        assertTrue(e.getMessage().contains("params.maxTokens (256 vs 512)"), e.getMessage());
        assertTrue(!e.getMessage().contains("modelId"), "a different model is what a baseline is compared with");
    }
}
