package io.chatbotctl.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the workflows need to deliver, checked on the workflow files themselves: the smoke gate's thresholds fit the
 * smoke set (its own command lines run against simulators), model-eval's path filters match real files, it evaluates
 * the pull request's release through the canary header and the proxy, the built chatbotctl image reaches the
 * release, and every deploying job checks the cluster first and reaches its services through the API server.
 */
class PipelineFitTest {
    @TempDir
    Path dir;

    static JsonNode workflow(String name) throws IOException {
        return Json.yaml().readTree(Files.readString(Repository.file(".github/workflows/" + name)));
    }

    /** The chatbotctl command lines of one step (found by name), with {@code vars} defaults filled in. */
    static List<List<String>> commands(JsonNode step) {
        List<List<String>> commands = new ArrayList<>();
        for (String line : step.path("run").asText("").replace("\\\n", " ").split("\n")) {
            List<String> words = ShellWords.split(Workflows.withDefaults(line));
            int start = words.indexOf("./chatbotctl");
            if (start >= 0) {
                commands.add(words.subList(start + 1, words.size()));
            }
        }
        return commands;
    }

    static JsonNode step(JsonNode workflow, String job, String name) {
        for (JsonNode step : workflow.path("jobs").path(job).path("steps")) {
            if (name.equals(step.path("name").asText())) {
                return step;
            }
        }
        throw new AssertionError("no step '" + name + "' in job " + job);
    }

    static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        assertTrue(i >= 0 && i + 1 < args.size(), name + " in " + args);
        return args.get(i + 1);
    }

    /** cd.yml's smoke eval and gate lines, run as written but against a simulator instead of --env staging. */
    private int smokeGate(String responses) {
        List<List<String>> lines = commands(step(workflowUnchecked("cd.yml"), "staging", "Smoke eval and gate"));
        assertEquals(2, lines.size(), lines.toString());
        try (Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0)
                .responses(Repository.file("evals/responses/" + responses)).build())) {
            for (List<String> line : lines) {
                List<String> args = new ArrayList<>();
                for (int i = 0; i < line.size(); i++) {
                    String w = line.get(i);
                    if (w.equals("--env")) {
                        args.addAll(List.of("--endpoint", sim.baseUrl()));
                        i++;
                    } else {
                        args.add(w.startsWith("reports/") ? dir.resolve(w.substring("reports/".length())).toString() : w);
                    }
                }
                CliRunner.Result r = CliRunner.inRepository().run(args.toArray(String[]::new));
                if (line.get(1).equals("gate")) {
                    return r.exitCode();
                }
                assertEquals(0, r.exitCode(), r.toString());
            }
        }
        throw new AssertionError("no eval gate in the smoke step");
    }

    private static JsonNode workflowUnchecked(String name) {
        try {
            return workflow(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theSmokeGateFitsTheSmokeSet() throws IOException {
        List<List<String>> lines = commands(step(workflow("cd.yml"), "staging", "Smoke eval and gate"));
        String dataset = option(lines.get(0), "--dataset");
        String thresholds = option(lines.get(1), "--thresholds");
        long cases = Files.readAllLines(Repository.file(dataset)).stream().filter(l -> !l.isBlank()).count();
        JsonNode rules = Json.yaml().readTree(Repository.file(thresholds).toFile());
        assertTrue(rules.path("min_cases").asInt(1) <= cases,
                thresholds + " asks for " + rules.path("min_cases") + " cases; " + dataset + " has " + cases);
        assertTrue(lines.get(0).contains("--no-cache"), "the smoke run asks the model, not a cache: " + lines.get(0));

        assertEquals(0, smokeGate("good-model.yaml"), "good answers pass the smoke gate");
        assertEquals(1, smokeGate("regressed-model.yaml"), "a regressed model fails it");
    }

    @Test
    void modelEvalPathFiltersEachMatchAFile() throws Exception {
        List<String> files = repositoryFiles();
        JsonNode paths = workflow("model-eval.yml").path("on").path("pull_request").path("paths");
        assertTrue(paths.size() >= 8, paths.toString());
        for (String must : List.of("manifests/base/configmap.yaml", "manifests/overlays/staging/vllm-config.yaml",
                "manifests/overlays/production/vllm-config.yaml", "manifests/base/deployment.yaml", "evals/system-prompt.txt",
                "evals/datasets/support-ko.jsonl", "evals/baselines/llama-3.1-8b-instruct@awq-v1.json", "chatbotctl.yaml")) {
            assertTrue(matchesAny(paths, must), must + " changes the model or its settings: no filter matches it");
        }
        for (JsonNode pattern : paths) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.asText());
            assertTrue(files.stream().anyMatch(f -> m.matches(Path.of(f))), "the filter " + pattern + " matches no file in the repository");
        }
        assertFalse(matchesAny(paths, "docs/delivery.md"));
        assertFalse(matchesAny(paths, "manifests/overlays/production/deployment-capacity.yaml"));
    }

    private static boolean matchesAny(JsonNode patterns, String file) {
        for (JsonNode p : patterns) {
            if (FileSystems.getDefault().getPathMatcher("glob:" + p.asText()).matches(Path.of(file))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void modelEvalRunsThePullRequestsReleaseBehindTheCanaryHeaderAndRemovesIt() throws IOException {
        JsonNode w = workflow("model-eval.yml");
        JsonNode config = Json.yaml().readTree(Repository.file("chatbotctl.yaml").toFile());
        List<String> start = commands(step(w, "eval", "Start this pull request's release as a canary at weight 0")).get(0);
        assertEquals(List.of("canary", "start"), start.subList(0, 2));
        assertEquals("0", option(start, "--weight"), "weight 0: only the header reaches the canary");

        List<String> run = commands(step(w, "eval", "Run the evals on the canary, through its proxy")).get(0);
        assertEquals(config.path("gateway").path("canaryHeader").asText() + ": always", option(run, "--header"));
        assertEquals(canaryServiceUrl(config), option(run, "--endpoint"),
                "the canary's own Service on the proxy's port: through the API server no Gateway routes the header");
        assertEquals(config.path("proxy").path("systemPrompt").asText(), option(run, "--system-prompt"),
                "the prompt the proxy applies (replace) is the one the eval's fingerprint and the baseline name");
        assertEquals("${{ steps.model.outputs.revision }}", option(run, "--model-revision"));

        List<String> gate = commands(step(w, "eval", "Gate against the baseline of the model revision")).get(0);
        assertEquals(option(run, "--out"), gate.get(2));
        assertEquals("evals/baselines", option(gate, "--baseline-dir"));
        JsonNode post = step(w, "eval", "Post the summary");
        assertTrue(post.path("run").asText().contains("--body-file " + option(gate, "--markdown")), post.toString());
        assertTrue(post.path("if").asText().startsWith("always()"), post.toString());

        JsonNode remove = step(w, "eval", "Remove the canary");
        assertEquals("always()", remove.path("if").asText());
        assertEquals(List.of("canary", "abort", "--env", "staging"), commands(remove).get(0));
    }

    /** {@code http://<stable Service>-canary.<staging namespace>.svc:<the Service's http port>/v1}, from the sources. */
    private static String canaryServiceUrl(JsonNode config) {
        JsonNode service = io.chatbotctl.manifest.ManifestRenderer.render(Repository.file("manifests/overlays/staging"),
                        io.chatbotctl.manifest.RenderOptions.none()).objects().stream()
                .filter(o -> o.path("kind").asText().equals("Service")).findFirst().orElseThrow();
        int port = -1;
        for (JsonNode p : service.path("spec").path("ports")) {
            if (p.path("name").asText().equals("http")) {
                port = p.path("port").asInt();
            }
        }
        return "http://" + io.chatbotctl.canary.CanaryNames.canary(service.path("metadata").path("name").asText()) + "."
                + config.path("environments").path("staging").path("namespace").asText() + ".svc:" + port + "/v1";
    }

    @Test
    void cdDeploysTheImageItBuilt() throws IOException {
        JsonNode cd = workflow("cd.yml");
        assertEquals("${{ steps.push.outputs.image }}", cd.path("jobs").path("image").path("outputs").path("image").asText());
        int releases = 0;
        for (String job : List.of("staging", "production")) {
            assertTrue(needs(cd.path("jobs").path(job)).contains("image"), job + " needs the image job");
            for (JsonNode step : cd.path("jobs").path(job).path("steps")) {
                for (List<String> args : commands(step)) {
                    if (args.get(0).equals("deploy") || args.subList(0, 2).equals(List.of("canary", "start"))) {
                        assertEquals("${{ needs.image.outputs.image }}", option(args, "--chatbotctl-image"), args.toString());
                        releases++;
                    }
                }
            }
        }
        assertEquals(2, releases);
    }

    private static List<String> needs(JsonNode job) {
        List<String> needs = new ArrayList<>();
        if (job.path("needs").isArray()) {
            job.path("needs").forEach(n -> needs.add(n.asText()));
        } else {
            needs.add(job.path("needs").asText());
        }
        return needs;
    }

    /** Jobs that touch a cluster check it first and reach its services through the API server. */
    @Test
    void everyDeployingJobChecksTheClusterFirstThroughTheApiServer() throws IOException {
        int jobs = 0;
        for (Path file : Workflows.files()) {
            JsonNode w = Json.yaml().readTree(Files.readString(file));
            for (Map.Entry<String, JsonNode> job : iterable(w.path("jobs"))) {
                List<List<String>> commands = new ArrayList<>();
                job.getValue().path("steps").forEach(s -> commands.addAll(commands(s)));
                boolean touchesCluster = commands.stream().anyMatch(c -> c.contains("--env") && !c.get(0).equals("render")
                        && !c.get(0).equals("lint"));
                if (!touchesCluster) {
                    continue;
                }
                jobs++;
                String where = file.getFileName() + " job " + job.getKey();
                List<String> first = commands.stream().filter(c -> !c.get(0).equals("render")).findFirst().orElseThrow();
                assertEquals("doctor", first.get(0), where + ": doctor comes first, not " + first);
                assertEquals("api-server", job.getValue().path("env").path("CHATBOTCTL_ACCESS").asText(), where);
                for (List<String> c : commands) {
                    if (c.contains("--env")) {
                        assertEquals(option(first, "--env"), option(c, "--env"), where + ": one environment per job");
                    }
                }
            }
        }
        assertEquals(3, jobs, "staging, production and model-eval");
    }

    @Test
    void durationsHaveProductionDefaults() throws IOException {
        String cd = Files.readString(Repository.file(".github/workflows/cd.yml"));
        for (String expected : List.of("--interval \"${{ vars.CANARY_INTERVAL || '5m' }}\"",
                "--duration \"${{ vars.LOADTEST_DURATION || '3m' }}\"", "--warmup \"${{ vars.LOADTEST_WARMUP || '30s' }}\"",
                "--timeout \"${{ vars.DEPLOY_TIMEOUT || '30m' }}\"")) {
            assertTrue(cd.contains(expected), expected);
        }
        assertEquals("--interval 2m --x", Workflows.withDefaults("--interval \"${{ vars.CANARY_INTERVAL || '2m' }}\" --x")
                .replace("\"", ""));
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        node.fields().forEachRemaining(entries::add);
        return entries;
    }

    /** The repository's files as relative paths, without build output, tools and git's own. */
    static List<String> repositoryFiles() throws IOException {
        Path root = Repository.root();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> !f.startsWith(".git/") && !f.startsWith(".tools/") && !f.contains("/target/")
                            && !f.contains("node_modules/"))
                    .toList();
        }
    }
}
