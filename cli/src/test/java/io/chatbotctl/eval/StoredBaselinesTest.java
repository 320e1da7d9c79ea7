package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.RenderOptions;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stored baselines (evals/baselines/MODEL@REVISION.json) and {@code eval gate --baseline-dir}: the gate picks the
 * baseline of the results' model revision, fails a regressed model naming its flips, and is inconclusive (exit 5)
 * for a revision without one. The baseline of the model the overlays ship exists and still fits the datasets and the
 * system prompt (a changed dataset or prompt without a fresh baseline fails here first).
 */
class StoredBaselinesTest {
    static final String BASELINES = "evals/baselines";
    static final String REVISION = "awq-v1";

    static Simulator good;
    static Simulator regressed;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        good = EvalGateAcceptanceTest.sim("good-model.yaml", 0);
        regressed = EvalGateAcceptanceTest.sim("regressed-model.yaml", 0);
    }

    @AfterAll
    static void stop() {
        good.close();
        regressed.close();
    }

    /** The run model-eval.yml makes: the full datasets, the service's system prompt, the overlay's revision. */
    static Path run(Simulator sim, String revision, String name) {
        Path out = dir.resolve(name);
        CliRunner.Result r = EvalGateAcceptanceTest.run("eval", "run", "--endpoint", sim.baseUrl(), "--no-cache",
                "--system-prompt", "evals/system-prompt.txt", "--model-revision", revision, "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        return out;
    }

    static CliRunner.Result gate(Path results, String markdown) {
        return EvalGateAcceptanceTest.run("eval", "gate", results.toString(), "--thresholds", "evals/thresholds.yaml",
                "--baseline-dir", BASELINES, "--markdown", dir.resolve(markdown).toString());
    }

    @Test
    void theShippedModelRevisionHasABaseline() {
        for (String overlay : List.of("staging", "production")) {
            ObjectNode config = ManifestRenderer.render(Repository.file("manifests/overlays/" + overlay), RenderOptions.none())
                    .objects().stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                            && o.path("metadata").path("name").asText().equals(ManifestRenderer.SETTINGS_CONFIGMAP))
                    .findFirst().orElseThrow();
            String model = config.path("data").path("SERVED_MODEL_NAME").asText();
            String revision = config.path("data").path("MODEL_REVISION").asText();
            assertEquals("llama-3.1-8b-instruct@awq-v1.json", Baselines.fileName(model, revision), overlay);
            assertTrue(Files.isRegularFile(Repository.file(BASELINES).resolve(Baselines.fileName(model, revision))),
                    overlay + " ships " + model + "@" + revision + ": its baseline must be in " + BASELINES);
        }
    }

    @Test
    void theGoodModelPassesAgainstItsStoredBaseline() throws Exception {
        CliRunner.Result gate = gate(run(good, REVISION, "good.json"), "good.md");
        assertEquals(0, gate.exitCode(), gate.toString());
        assertTrue(gate.out().matches("(?s).*baseline\\s+PASS\\s+llama-3.1-8b-instruct@awq-v1.json\\s+in \\S*evals/baselines.*"), gate.out());
        assertTrue(gate.out().matches("(?s).*baseline flips pass->fail\\s+PASS\\s+0\\s.*"), gate.out());
        assertTrue(Files.readString(dir.resolve("good.md")).contains("## Eval gate: **PASS**"));
    }

    @Test
    void aRegressedModelFailsAndTheSummaryNamesTheFlippedCases() throws Exception {
        CliRunner.Result gate = gate(run(regressed, REVISION, "regressed.json"), "regressed.md");
        assertEquals(1, gate.exitCode(), gate.toString());
        String md = Files.readString(dir.resolve("regressed.md"));
        assertTrue(md.contains("## Eval gate: **FAIL**"), md);
        String flips = md.lines().filter(l -> l.startsWith("Pass → fail: ")).findFirst().orElseThrow(() -> new AssertionError(md));
        Set<String> named = new TreeSet<>();
        for (String id : flips.substring("Pass → fail: ".length()).split(", ")) {
            named.add(id.replace("`", ""));
        }
        assertEquals(new TreeSet<>(EvalGateAcceptanceTest.REGRESSED), named);
    }

    @Test
    void aRevisionWithoutABaselineIsInconclusiveAndSaysHowToMakeOne() throws Exception {
        CliRunner.Result gate = gate(run(good, "awq-v2", "v2.json"), "v2.md");
        assertEquals(5, gate.exitCode(), gate.toString());
        assertTrue(gate.out().matches("(?s).*baseline\\s+INCONCLUSIVE\\s+none\\s+llama-3.1-8b-instruct@awq-v2.json in \\S*evals/baselines.*"),
                gate.out());
        assertTrue(gate.out().contains("--model-revision REV --out llama-3.1-8b-instruct@awq-v2.json"), gate.out());
        assertTrue(Files.readString(dir.resolve("v2.md")).contains("## Eval gate: **INCONCLUSIVE**"));
    }

    @Test
    void resultsWithoutARevisionOrBothBaselineOptionsAreBadInput() throws Exception {
        Path plain = dir.resolve("plain.json");
        CliRunner.Result r = EvalGateAcceptanceTest.run("eval", "run", "--endpoint", good.baseUrl(), "--no-cache",
                "--dataset", "evals/smoke.jsonl", "--out", plain.toString());
        assertEquals(0, r.exitCode(), r.toString());
        CliRunner.Result gate = EvalGateAcceptanceTest.run("eval", "gate", plain.toString(), "--thresholds",
                "evals/thresholds-smoke.yaml", "--baseline-dir", BASELINES);
        assertEquals(3, gate.exitCode(), gate.toString());
        assertTrue(gate.err().startsWith("chatbotctl: error: " + plain + " names no model revision"), gate.err());

        JsonNode stored = Json.mapper().readTree(Repository.file(BASELINES).resolve("llama-3.1-8b-instruct@awq-v1.json").toFile());
        assertEquals(REVISION, stored.path("servedModel").path("revision").asText());
        CliRunner.Result both = EvalGateAcceptanceTest.run("eval", "gate", plain.toString(), "--baseline", plain.toString(),
                "--baseline-dir", BASELINES);
        assertEquals(3, both.exitCode(), both.toString());
        assertTrue(both.err().contains("--baseline and --baseline-dir exclude each other"), both.err());
    }
}
