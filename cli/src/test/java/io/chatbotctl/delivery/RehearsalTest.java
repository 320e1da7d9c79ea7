package io.chatbotctl.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness itself, on fixture workflows and on the real ones' texts (no stack, no chatbotctl). */
class RehearsalTest {
    @TempDir
    Path dir;

    static Path fixtureWorkflow(String name) throws Exception {
        return Path.of(RehearsalTest.class.getResource("/workflows/" + name).toURI());
    }

    @Test
    void aUsesWithoutLocalMappingFailsTheRehearsalNamingIt() throws Exception {
        Rehearsal rehearsal = Rehearsal.of(fixtureWorkflow("unmapped-uses.yml")).withoutPackagedJar();
        RehearsalException e = assertThrows(RehearsalException.class, () -> rehearsal.run(dir));
        assertTrue(e.getMessage().contains("docker/build-push-action@v6 has no local mapping"), e.getMessage());
        assertTrue(e.getMessage().contains("unmapped-uses.yml job build"), e.getMessage());
    }

    @Test
    void everyUsesInTheRealWorkflowsIsMapped() throws Exception {
        int uses = 0;
        for (Path workflow : Workflows.files()) {
            JsonNode root = io.chatbotctl.core.Json.yaml().readTree(Files.readString(workflow));
            for (JsonNode job : root.path("jobs")) {
                for (JsonNode step : job.path("steps")) {
                    if (step.has("uses")) {
                        uses++;
                        assertTrue(UsesMapping.find(step.get("uses").asText()).isPresent(),
                                workflow.getFileName() + ": " + step.get("uses").asText() + " has no local mapping");
                    }
                }
            }
        }
        assertTrue(uses >= 10, "found " + uses);
    }

    @Test
    void theDocsListEveryMappingAndEveryShim() throws Exception {
        String docs = Files.readString(Repository.file("docs/rehearsal.md"));
        for (UsesMapping.Entry e : UsesMapping.TABLE) {
            assertTrue(docs.contains("| `" + e.uses() + "` |"), "docs/rehearsal.md lacks " + e.uses());
        }
        for (String shim : Shims.names()) {
            assertTrue(docs.contains("| `" + shim + "` |"), "docs/rehearsal.md lacks the shim " + shim);
        }
    }

    @Test
    void needsIdsOutputsConditionsEnvAndShellsAsGitHubRunsThem() throws Exception {
        Rehearsal.Run run = Rehearsal.of(fixtureWorkflow("semantics.yml")).withoutPackagedJar()
                .fixture(Fixture.pullRequest(7)).run(dir);
        Rehearsal.JobRun first = run.job("first");
        assertEquals("failure", first.result(), run.transcript());
        assertTrue(first.step("compute").log().contains("level=step region=default-region pr=7"), run.transcript());
        assertEquals("success", first.step("Sees the export and the job env").outcome(), run.transcript());
        assertTrue(first.step("Sees the export and the job env").log().contains("multi=line one\nline two"), run.transcript());
        assertEquals("success", first.step("Pipe without pipefail passes").outcome(), "bash -e {0}: no pipefail");
        assertEquals("failure", first.step("Pipe with pipefail fails").outcome(), "shell: bash has pipefail");
        assertEquals("skipped", first.step("Skipped after a failure").outcome());
        assertEquals("success", first.step("Runs after a failure").outcome());
        assertEquals("success", first.step("Only when the file exists").outcome());
        assertEquals("skipped", first.step("Not when it does not").outcome());
        assertEquals(Map.of("answer", "42"), first.outputs());
        assertEquals("skipped", run.job("second").result(), "a failed need skips the job");
        Rehearsal.JobRun third = run.job("third");
        assertEquals("success", third.result(), run.transcript());
        assertTrue(third.steps().get(0).log().contains("answer=42 result=failure"), run.transcript());
        assertTrue(Files.isRegularFile(dir.resolve("artifacts/things/smoke.jsonl")), "artifact rooted at the common directory");
        assertTrue(Files.isRegularFile(dir.resolve("artifacts/things/thresholds.yaml")));
        assertTrue(Files.exists(run.workspace().resolve("wrote-by-the-rehearsal")));
        assertFalse(Files.exists(Repository.file("wrote-by-the-rehearsal")), "nothing written into the repository");
    }

    @Test
    void expressionsFollowGitHubsOperators() {
        Expressions.Scope scope = new Expressions.Scope() {
            public JsonNode context(String name) {
                return name.equals("vars") ? Expressions.object().put("SET", "5m").put("EMPTY", "") : null;
            }

            public String status() {
                return "success";
            }

            public String hashFiles(List<String> patterns) {
                return "";
            }
        };
        assertEquals("5m", Expressions.substitute("${{ vars.SET || '2m' }}", scope));
        assertEquals("2m", Expressions.substitute("${{ vars.EMPTY || '2m' }}", scope));
        assertEquals("2m", Expressions.substitute("${{ vars.MISSING || '2m' }}", scope));
        assertEquals("", Expressions.substitute("${{ vars.MISSING }}", scope));
        assertEquals("x", Expressions.substitute("${{ vars.SET && 'x' }}", scope));
        assertEquals("true", Expressions.substitute("${{ 'ABC' == 'abc' }}", scope), "strings compare ignoring case");
        assertEquals("true", Expressions.substitute("${{ '1' == 1 }}", scope), "loose equality coerces to numbers");
        assertEquals("true", Expressions.substitute("${{ null == 0 }}", scope));
        assertEquals("false", Expressions.substitute("${{ !vars.SET }}", scope));
        assertEquals("It's 5m", Expressions.substitute("${{ format('It''s {0}', vars.SET) }}", scope));
        assertEquals("a-5m-b", Expressions.substitute("a-${{ vars.SET }}-b", scope));
        assertTrue(Expressions.condition("vars.SET == '5m'", scope));
        assertTrue(assertThrows(RehearsalException.class, () -> Expressions.substitute("${{ matrix.os }}", scope))
                .getMessage().contains("unknown context 'matrix'"));
        assertTrue(assertThrows(RehearsalException.class, () -> Expressions.substitute("${{ join(vars.SET) }}", scope))
                .getMessage().contains("unknown function 'join()'"));
        assertThrows(RehearsalException.class, () -> Expressions.substitute("${{ \"double\" }}", scope));
    }
}
