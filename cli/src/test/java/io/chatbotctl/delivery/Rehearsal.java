package io.chatbotctl.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a GitHub Actions workflow's jobs on this machine as a runner would: jobs in {@code needs} order, each step in
 * order, {@code run:} steps as bash scripts (GitHub's shells: no {@code shell:} is {@code bash -e {0}}, {@code shell:
 * bash} is {@code bash --noprofile --norc -eo pipefail {0}}; workflow syntax, jobs.&lt;job_id&gt;.steps[*].shell),
 * {@code uses:} steps through {@link UsesMapping}, {@code ${{ … }}} through {@link Expressions} with the contexts of
 * {@link #CONTEXTS}, {@code if:}, {@code env:} at workflow, job and step level, {@code working-directory},
 * {@code GITHUB_OUTPUT}/{@code GITHUB_ENV}/{@code GITHUB_STEP_SUMMARY}, job {@code outputs}. Keys it does not
 * honour fail the rehearsal, except those listed in {@link #IGNORED_JOB_KEYS} (what a hosted runner or GitHub's
 * settings decide). The workspace is a copy of the repository ({@link Workspace}); commands that cannot run here
 * are shims on PATH (cli/src/test/resources/rehearsal/bin, see docs/rehearsal.md).
 */
final class Rehearsal {
    static final Set<String> CONTEXTS = Set.of("github", "env", "vars", "secrets", "inputs", "steps", "needs", "job", "runner");
    /** Decided by GitHub, not by the steps: the runner image, approvals, token scopes, queueing. */
    static final Set<String> IGNORED_JOB_KEYS = Set.of("name", "runs-on", "environment", "permissions", "concurrency",
            "container");
    private static final Set<String> JOB_KEYS = Set.of("needs", "if", "env", "steps", "outputs", "timeout-minutes", "defaults");
    private static final Set<String> STEP_KEYS = Set.of("name", "id", "if", "uses", "with", "run", "env",
            "working-directory", "shell", "timeout-minutes");
    private static final Duration STEP_CAP = Duration.ofMinutes(10);

    /** A {@code run:} step replaced by another script, with the reason (documented in docs/rehearsal.md). */
    record Replacement(Predicate<String> script, String replacement, String why) {
    }

    /** Called before a step runs (to break a part of the stack on cue, say). */
    interface Hook {
        void beforeStep(String job, String step) throws Exception;
    }

    record StepRun(String job, String name, String id, String outcome, int exitCode, String log) {
        boolean failed() {
            return outcome.equals("failure");
        }
    }

    record JobRun(String id, String result, List<StepRun> steps, Map<String, String> outputs) {
        StepRun step(String name) {
            return steps.stream().filter(s -> s.name().equals(name) || name.equals(s.id())).findFirst()
                    .orElseThrow(() -> new AssertionError("job " + id + " has no step " + name + ": " + steps));
        }

        /** The first failed step, or null. */
        StepRun failedStep() {
            return steps.stream().filter(StepRun::failed).findFirst().orElse(null);
        }
    }

    record Run(Path runDir, Path workspace, Map<String, JobRun> jobs, List<String> replaced) {
        JobRun job(String id) {
            JobRun j = jobs.get(id);
            if (j == null) {
                throw new AssertionError("no job " + id + " in " + jobs.keySet());
            }
            return j;
        }

        /** Every step's name, outcome and log, for assertion messages. */
        String transcript() {
            StringBuilder s = new StringBuilder();
            for (JobRun j : jobs.values()) {
                s.append("== job ").append(j.id()).append(": ").append(j.result()).append('\n');
                for (StepRun step : j.steps()) {
                    s.append("-- ").append(step.name()).append(": ").append(step.outcome())
                            .append(step.exitCode() >= 0 ? " (exit " + step.exitCode() + ")" : "").append('\n');
                    if (!step.log().isBlank()) {
                        s.append(step.log().strip()).append('\n');
                    }
                }
            }
            return s.toString();
        }
    }

    private final Path workflow;
    private final JsonNode root;
    private Fixture fixture = Fixture.push();
    private StandIns standIns = new StandIns("", "", "", StandIns.REGISTRY, Map.of());
    private final List<Replacement> replacements = new ArrayList<>();
    private final Map<String, String> runnerEnv = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> jobRunnerEnv = new LinkedHashMap<>();
    private Hook hook = (job, step) -> { };
    private boolean packaged = true;
    private long started = System.nanoTime();

    private Rehearsal(Path workflow) throws IOException {
        this.workflow = workflow;
        this.root = Json.yaml().readTree(Files.readString(workflow));
    }

    static Rehearsal of(Path workflow) throws IOException {
        return new Rehearsal(workflow);
    }

    Rehearsal fixture(Fixture f) {
        this.fixture = f;
        return this;
    }

    Rehearsal standIns(StandIns s) {
        this.standIns = s;
        return this;
    }

    Rehearsal replace(Replacement r) {
        replacements.add(r);
        return this;
    }

    /** Extra variables of the runner machine (the shims' settings); workflow, job and step env override them. */
    Rehearsal runnerEnv(String name, String value) {
        runnerEnv.put(name, value);
        return this;
    }

    /** Steps that never run {@code ./chatbotctl} need no packaged jar (the harness's own tests, before package). */
    Rehearsal withoutPackagedJar() {
        this.packaged = false;
        return this;
    }

    /** Runner variables for one job only (its runner reaches other hosts than another job's). */
    Rehearsal runnerEnv(String job, Map<String, String> variables) {
        jobRunnerEnv.computeIfAbsent(job, j -> new LinkedHashMap<>()).putAll(variables);
        return this;
    }

    Rehearsal hook(Hook h) {
        this.hook = h;
        return this;
    }

    /** Runs every job (or those named and what they need) in a fresh workspace under {@code runDir}. */
    Run run(Path runDir, String... only) throws IOException, InterruptedException {
        started = System.nanoTime();
        Files.createDirectories(runDir);
        Path workspace = Workspace.copyOfRepository(runDir.resolve("workspace"), packaged);
        Path bin = Shims.install(runDir.resolve("bin"));
        Path eks = Files.createDirectories(runDir.resolve("eks"));
        for (Map.Entry<String, String> cluster : standIns.eksClusters().entrySet()) {
            Files.writeString(eks.resolve(cluster.getKey()), cluster.getValue());
        }
        Map<String, JobRun> results = new LinkedHashMap<>();
        List<String> replaced = new ArrayList<>();
        for (String job : order(only)) {
            results.put(job, new JobRunner(job, runDir, workspace, bin, results, replaced).run());
        }
        return new Run(runDir, workspace, results, replaced);
    }

    /** Job ids in an order where every job follows its needs; with {@code only}, just those and what they need. */
    private List<String> order(String... only) {
        JsonNode jobs = root.path("jobs");
        Set<String> wanted = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(only.length == 0 ? names(jobs) : List.of(only));
        while (!todo.isEmpty()) {
            String j = todo.remove(0);
            if (!jobs.has(j)) {
                throw new RehearsalException(workflow.getFileName() + ": no job " + j);
            }
            if (wanted.add(j)) {
                todo.addAll(needs(jobs.get(j)));
            }
        }
        List<String> ordered = new ArrayList<>();
        while (ordered.size() < wanted.size()) {
            boolean progress = false;
            for (String j : names(jobs)) {
                if (wanted.contains(j) && !ordered.contains(j) && ordered.containsAll(needs(jobs.get(j)))) {
                    ordered.add(j);
                    progress = true;
                }
            }
            if (!progress) {
                throw new RehearsalException(workflow.getFileName() + ": jobs need each other in a cycle");
            }
        }
        return ordered;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> needs(JsonNode job) {
        JsonNode n = job.path("needs");
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        List<String> list = new ArrayList<>();
        n.forEach(e -> list.add(e.asText()));
        return list;
    }

    /** One job's run: its contexts, environment and steps. */
    private final class JobRunner implements Expressions.Scope {
        private final String id;
        private final JsonNode job;
        private final Path runDir;
        private final Path workspace;
        private final Path bin;
        private final Map<String, JobRun> done;
        private final List<String> replaced;
        private final Path temp;
        private final ObjectNode steps = Expressions.object();
        private final Map<String, String> exported = new LinkedHashMap<>();
        private ObjectNode env = Expressions.object();
        private String status = "success";

        JobRunner(String id, Path runDir, Path workspace, Path bin, Map<String, JobRun> done, List<String> replaced) throws IOException {
            this.id = id;
            this.job = root.path("jobs").path(id);
            this.runDir = runDir;
            this.workspace = workspace;
            this.bin = bin;
            this.done = done;
            this.replaced = replaced;
            this.temp = Files.createDirectories(runDir.resolve("runner-temp").resolve(id));
            for (Iterator<String> keys = job.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!JOB_KEYS.contains(key) && !IGNORED_JOB_KEYS.contains(key)) {
                    throw new RehearsalException(where(null) + ": job key '" + key + "' is not rehearsed");
                }
            }
            String container = job.path("container").isObject() ? job.path("container").path("image").asText() : job.path("container").asText("");
            if (!container.isEmpty() && !container.equals(thisMachine())) {
                throw new RehearsalException(where(null) + ": runs in container " + container + "; this machine is " + thisMachine());
            }
        }

        JobRun run() throws IOException, InterruptedException {
            List<StepRun> runs = new ArrayList<>();
            for (String need : needs(job)) {
                if (!done.get(need).result().equals("success")) {
                    status = "failure";
                }
            }
            env = evaluateEnv(root.path("env"), Expressions.object());
            String jobIf = job.path("if").asText("");
            if (!Expressions.condition(jobIf.isEmpty() ? "success()" : jobIf, this)) {
                log("job " + id + ": skipped");
                return new JobRun(id, "skipped", runs, Map.of());
            }
            status = "success";
            env = evaluateEnv(job.path("env"), env);
            int index = 0;
            for (JsonNode step : job.path("steps")) {
                runs.add(step(step, index++));
            }
            Map<String, String> outputs = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = job.path("outputs").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                outputs.put(e.getKey(), Expressions.substitute(e.getValue().asText(), this));
            }
            log("job " + id + ": " + status);
            return new JobRun(id, status, runs, outputs);
        }

        private StepRun step(JsonNode step, int index) throws IOException, InterruptedException {
            for (Iterator<String> keys = step.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!STEP_KEYS.contains(key)) {
                    throw new RehearsalException(where(step) + ": step key '" + key + "' is not rehearsed");
                }
            }
            String stepId = step.path("id").asText(null);
            String name = step.has("name") ? Expressions.substitute(step.get("name").asText(), this)
                    : step.has("uses") ? step.get("uses").asText() : "Run " + step.path("run").asText().lines().findFirst().orElse("");
            String condition = step.path("if").asText("");
            if (!Expressions.condition(condition.isEmpty() ? "success()" : condition, this)) {
                record(stepId, "skipped", Map.of());
                log(id + " / " + name + ": skipped");
                return new StepRun(id, name, stepId, "skipped", -1, "");
            }
            ObjectNode stepEnv = evaluateEnv(step.path("env"), env);
            hookBefore(name);
            StepResult result = step.has("uses") ? uses(step, name, stepEnv) : run(step, name, index, stepEnv);
            String outcome = result.exitCode() == 0 ? "success" : "failure";
            if (result.exitCode() != 0) {
                status = "failure";
            }
            record(stepId, outcome, result.outputs());
            log(id + " / " + name + ": " + outcome + " (exit " + result.exitCode() + ")\n" + result.log().strip());
            return new StepRun(id, name, stepId, outcome, result.exitCode(), result.log());
        }

        private void hookBefore(String name) throws IOException {
            try {
                hook.beforeStep(id, name);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("hook before " + name + " failed", e);
            }
        }

        private record StepResult(int exitCode, String log, Map<String, String> outputs) {
        }

        private StepResult uses(JsonNode step, String name, ObjectNode stepEnv) throws IOException {
            String uses = step.get("uses").asText();
            UsesMapping.Entry entry = UsesMapping.find(uses).orElseThrow(() -> new RehearsalException(
                    where(step) + ": uses: " + uses + " has no local mapping (add it to UsesMapping and docs/rehearsal.md)"));
            Map<String, String> with = new LinkedHashMap<>();
            step.path("with").fields().forEachRemaining(e -> with.put(e.getKey(), Expressions.substitute(e.getValue().asText(), this)));
            Map<String, String> outputs = new LinkedHashMap<>();
            StringBuilder log = new StringBuilder();
            entry.action().run(new UsesMapping.ActionCall() {
                public Map<String, String> with() {
                    return with;
                }

                public Path workspace() {
                    return workspace;
                }

                public Path runDir() {
                    return runDir;
                }

                public StandIns standIns() {
                    return standIns;
                }

                public void output(String n, String v) {
                    outputs.put(n, v);
                }

                public void exportEnv(String n, String v) {
                    exported.put(n, v);
                    env.put(n, v);
                }

                public void log(String line) {
                    log.append(line).append('\n');
                }
            });
            return new StepResult(0, "[" + uses + " → " + entry.localEquivalent() + "]\n" + log, outputs);
        }

        private StepResult run(JsonNode step, String name, int index, ObjectNode stepEnv) throws IOException, InterruptedException {
            String script = Expressions.substitute(step.path("run").asText(), this);
            for (Replacement r : replacements) {
                if (r.script().test(step.path("run").asText())) {
                    replaced.add(id + " / " + name + ": " + r.why());
                    script = r.replacement();
                }
            }
            Path file = temp.resolve("step-" + index + ".sh");
            Files.writeString(file, script);
            Path output = Files.writeString(temp.resolve("output-" + index), "");
            Path envFile = Files.writeString(temp.resolve("env-" + index), "");
            Path log = temp.resolve("log-" + index + ".txt");
            String shell = step.path("shell").asText(job.path("defaults").path("run").path("shell").asText(""));
            List<String> command = switch (shell) {
                case "" -> List.of("bash", "-e", file.toString());
                case "bash" -> List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", file.toString());
                default -> throw new RehearsalException(where(step) + ": shell '" + shell + "' is not rehearsed");
            };
            String dir = step.path("working-directory").asText(job.path("defaults").path("run").path("working-directory").asText("."));
            ProcessBuilder pb = new ProcessBuilder(command).directory(workspace.resolve(Expressions.substitute(dir, this)).toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Map<String, String> penv = pb.environment();
            penv.clear();
            for (String keep : List.of("JAVA_HOME", "LANG", "LC_ALL", "TZ", "USER", "TMPDIR")) {
                if (System.getenv(keep) != null) {
                    penv.put(keep, System.getenv(keep));
                }
            }
            penv.put("PATH", bin + ":" + System.getenv("PATH"));
            penv.put("HOME", Files.createDirectories(runDir.resolve("home")).toString());
            penv.put("REHEARSAL_RUN_DIR", runDir.toString());
            penv.putAll(runnerEnv);
            penv.putAll(jobRunnerEnv.getOrDefault(id, Map.of()));
            penv.putAll(defaultVariables());
            penv.put("GITHUB_OUTPUT", output.toString());
            penv.put("GITHUB_ENV", envFile.toString());
            penv.put("GITHUB_STEP_SUMMARY", runDir.resolve("step-summary-" + id + ".md").toString());
            penv.put("GITHUB_PATH", temp.resolve("path-" + index).toString());
            stepEnv.fields().forEachRemaining(e -> penv.put(e.getKey(), Expressions.asString(e.getValue())));
            Process p = pb.start();
            Duration timeout = minutes(step.path("timeout-minutes"), minutes(job.path("timeout-minutes"), STEP_CAP));
            timeout = timeout.compareTo(STEP_CAP) > 0 ? STEP_CAP : timeout;
            int exit;
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = p.exitValue();
            } else {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                Files.writeString(log, "\nrehearsal: timed out after " + timeout, java.nio.file.StandardOpenOption.APPEND);
                exit = 124;
            }
            for (Map.Entry<String, String> e : keyValues(envFile).entrySet()) {
                exported.put(e.getKey(), e.getValue());
                env.put(e.getKey(), e.getValue());
            }
            return new StepResult(exit, Files.readString(log, StandardCharsets.UTF_8), keyValues(output));
        }

        private Map<String, String> defaultVariables() {
            Map<String, String> v = new LinkedHashMap<>();
            // docs.github.com/actions/reference/workflows-and-actions/variables#default-environment-variables
            v.put("CI", "true");
            v.put("GITHUB_ACTIONS", "true");
            v.put("GITHUB_WORKSPACE", workspace.toString());
            v.put("GITHUB_SHA", fixture.sha());
            v.put("GITHUB_REF", fixture.ref());
            v.put("GITHUB_EVENT_NAME", fixture.eventName());
            v.put("GITHUB_EVENT_PATH", eventFile().toString());
            v.put("GITHUB_JOB", id);
            v.put("GITHUB_REPOSITORY", "example/chatbotctl");
            v.put("GITHUB_RUN_ID", "1");
            v.put("GITHUB_WORKFLOW", root.path("name").asText(workflow.getFileName().toString()));
            v.put("RUNNER_TEMP", temp.toString());
            v.put("RUNNER_OS", "Linux");
            v.putAll(exported);
            return v;
        }

        private Path eventFile() {
            Path f = runDir.resolve("event.json");
            try {
                Files.writeString(f, fixture.event().toPrettyString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return f;
        }

        private ObjectNode evaluateEnv(JsonNode block, ObjectNode base) {
            ObjectNode merged = base.deepCopy();
            block.fields().forEachRemaining(e -> merged.put(e.getKey(), Expressions.substitute(e.getValue().asText(), this)));
            return merged;
        }

        private void record(String stepId, String outcome, Map<String, String> outputs) {
            if (stepId == null) {
                return;
            }
            ObjectNode s = steps.putObject(stepId);
            s.put("outcome", outcome).put("conclusion", outcome);
            ObjectNode o = s.putObject("outputs");
            outputs.forEach(o::put);
        }

        private String where(JsonNode step) {
            return workflow.getFileName() + " job " + id + (step == null ? "" : " step '"
                    + step.path("name").asText(step.path("uses").asText(step.path("run").asText().lines().findFirst().orElse(""))) + "'");
        }

        @Override
        public JsonNode context(String name) {
            return switch (name) {
                case "github" -> github();
                case "env" -> env;
                case "vars" -> strings(fixture.vars());
                case "secrets" -> strings(fixture.secrets());
                case "inputs" -> strings(fixture.inputs());
                case "steps" -> steps;
                case "needs" -> needsContext();
                case "job" -> Expressions.object().put("status", status);
                case "runner" -> Expressions.object().put("os", "Linux").put("temp", temp.toString());
                default -> null;
            };
        }

        private ObjectNode github() {
            ObjectNode g = Expressions.object();
            g.put("sha", fixture.sha()).put("ref", fixture.ref()).put("event_name", fixture.eventName())
                    .put("repository", "example/chatbotctl").put("workspace", workspace.toString())
                    .put("token", fixture.secrets().getOrDefault("GITHUB_TOKEN", "rehearsal-token"))
                    .put("run_id", "1").put("job", id).put("workflow", root.path("name").asText(""));
            g.set("event", fixture.event());
            return g;
        }

        private ObjectNode needsContext() {
            ObjectNode n = Expressions.object();
            for (String need : needs(job)) {
                JobRun r = done.get(need);
                ObjectNode j = n.putObject(need);
                j.put("result", r.result());
                ObjectNode o = j.putObject("outputs");
                r.outputs().forEach(o::put);
            }
            return n;
        }

        private static ObjectNode strings(Map<String, String> map) {
            ObjectNode o = Expressions.object();
            map.forEach(o::put);
            return o;
        }

        @Override
        public String status() {
            return status;
        }

        /** sha256 over the sha256 of every matching file (sorted), '' when none match. */
        @Override
        public String hashFiles(List<String> patterns) {
            List<PathMatcher> matchers = patterns.stream().map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
            try (Stream<Path> walk = Files.walk(workspace)) {
                List<Path> files = walk.filter(Files::isRegularFile)
                        .filter(f -> matchers.stream().anyMatch(m -> m.matches(workspace.relativize(f))
                                || m.matches(Path.of("x").resolve(workspace.relativize(f)))))
                        .sorted().toList();
                if (files.isEmpty()) {
                    return "";
                }
                MessageDigest all = MessageDigest.getInstance("SHA-256");
                for (Path f : files) {
                    all.update(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
                }
                return HexFormat.of().formatHex(all.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private void log(String line) {
            System.out.printf("[rehearsal %s +%.1fs] %s%n", workflow.getFileName(), (System.nanoTime() - started) / 1e9, line);
        }
    }

    /** This machine as a container image name, e.g. {@code debian:12}: the steps of a job in that container run here. */
    static String thisMachine() {
        try {
            Map<String, String> os = new LinkedHashMap<>();
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.contains("=")) {
                    os.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1).replace("\"", ""));
                }
            }
            return os.getOrDefault("ID", "?") + ":" + os.getOrDefault("VERSION_ID", "?");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Duration minutes(JsonNode n, Duration otherwise) {
        return n.isNumber() ? Duration.ofSeconds((long) (n.asDouble() * 60)) : otherwise;
    }

    private static final Pattern HEREDOC = Pattern.compile("^([^=<]+)<<(.+)$");

    /** GITHUB_OUTPUT / GITHUB_ENV: {@code name=value} lines and {@code name<<DELIMITER} … {@code DELIMITER} blocks. */
    static Map<String, String> keyValues(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            var heredoc = HEREDOC.matcher(line);
            if (heredoc.matches()) {
                StringBuilder value = new StringBuilder();
                String delimiter = heredoc.group(2);
                while (++i < lines.size() && !lines.get(i).equals(delimiter)) {
                    value.append(value.isEmpty() ? "" : "\n").append(lines.get(i));
                }
                values.put(heredoc.group(1), value.toString());
            } else if (line.contains("=")) {
                values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            } else if (!line.isBlank()) {
                throw new RehearsalException("not a name=value line in " + file.getFileName() + ": " + line);
            }
        }
        return values;
    }
}
