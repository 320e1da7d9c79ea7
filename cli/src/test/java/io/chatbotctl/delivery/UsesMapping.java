package io.chatbotctl.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code uses:} the workflows may contain, as data: the action at its major version and what the rehearsal
 * does instead. A {@code uses:} not in {@link #TABLE} fails the rehearsal (docs/rehearsal.md lists the same table).
 */
final class UsesMapping {
    private static final Pattern USES = Pattern.compile("([^@\\s]+)@v?(\\d+)(?:[.\\d]*)");

    /** One {@code uses:} step being run: its {@code with:} inputs (expressions filled) and the job's state. */
    interface ActionCall {
        Map<String, String> with();

        Path workspace();

        /** This run's directory for what the test reads (artifacts/, pr-comments/, registry/). */
        Path runDir();

        StandIns standIns();

        /** Sets {@code steps.<id>.outputs.<name>}. */
        void output(String name, String value);

        /** Sets an environment variable for the job's later steps, as an action's {@code core.exportVariable} does. */
        void exportEnv(String name, String value);

        void log(String line);
    }

    interface LocalAction {
        void run(ActionCall call) throws IOException;
    }

    record Entry(String uses, String localEquivalent, LocalAction action) {
    }

    static final List<Entry> TABLE = List.of(
            new Entry("actions/checkout@v4", "nothing: the job's workspace is already a fresh copy of the repository", c -> { }),
            new Entry("actions/setup-java@v4", "nothing: this machine's Java 17 runs the packaged launcher", c -> { }),
            new Entry("azure/setup-kubectl@v4", "nothing: Debian's kubectl is on PATH", c -> { }),
            new Entry("actions/cache@v4", "nothing: a cache only saves time", c -> { }),
            new Entry("aws-actions/configure-aws-credentials@v4",
                    "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_DEFAULT_REGION for S3Proxy's keys, and "
                            + "AWS_ENDPOINT_URL_S3 at S3Proxy; requires role-to-assume and aws-region as the action does",
                    UsesMapping::awsCredentials),
            new Entry("aws-actions/amazon-ecr-login@v2",
                    "outputs.registry = the stand-in registry (images are files the docker shim writes)",
                    c -> c.output("registry", c.standIns().registry())),
            new Entry("actions/upload-artifact@v4",
                    "copies `path` (each line; from their common directory, as the action roots the artifact) into "
                            + "artifacts/NAME/ of the run directory",
                    UsesMapping::uploadArtifact));

    private UsesMapping() {}

    /** The entry for {@code owner/repo@ref} at its major version, or empty. */
    static Optional<Entry> find(String uses) {
        Matcher m = USES.matcher(uses.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String key = m.group(1) + "@v" + m.group(2);
        return TABLE.stream().filter(e -> e.uses().equals(key)).findFirst();
    }

    private static void awsCredentials(ActionCall c) {
        String region = c.with().getOrDefault("aws-region", "");
        String role = c.with().getOrDefault("role-to-assume", "");
        if (region.isBlank()) {
            throw new RehearsalException("configure-aws-credentials: input aws-region is empty");
        }
        if (role.isBlank() && c.with().getOrDefault("aws-access-key-id", "").isBlank()) {
            throw new RehearsalException("configure-aws-credentials: role-to-assume is empty (a var missing from the fixture?)");
        }
        c.exportEnv("AWS_ACCESS_KEY_ID", c.standIns().s3AccessKey());
        c.exportEnv("AWS_SECRET_ACCESS_KEY", c.standIns().s3SecretKey());
        c.exportEnv("AWS_REGION", region);
        c.exportEnv("AWS_DEFAULT_REGION", region);
        // The AWS SDKs and CLI v2 read service-specific endpoints from AWS_ENDPOINT_URL_<SERVICE>
        // (docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
        c.exportEnv("AWS_ENDPOINT_URL_S3", c.standIns().s3EndpointUrl());
        c.log("assumed " + role + " (stand-in: S3Proxy at " + c.standIns().s3EndpointUrl() + ")");
    }

    private static void uploadArtifact(ActionCall c) throws IOException {
        String name = c.with().getOrDefault("name", "artifact");
        List<Path> paths = new ArrayList<>();
        for (String line : c.with().getOrDefault("path", "").split("\n")) {
            String p = line.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("!") || p.contains("*")) {
                throw new RehearsalException("upload-artifact: patterns ('" + p + "') are not rehearsed; name files or directories");
            }
            Path resolved = c.workspace().resolve(p).normalize();
            if (Files.exists(resolved)) {
                paths.add(resolved);
            } else {
                // if-no-files-found defaults to warn (actions/upload-artifact action.yml)
                c.log("warning: no files found at " + p);
            }
        }
        if (paths.isEmpty()) {
            return;
        }
        Path root = paths.size() == 1 && Files.isDirectory(paths.get(0)) ? paths.get(0) : commonParent(paths);
        Path target = Files.createDirectories(c.runDir().resolve("artifacts").resolve(name));
        for (Path p : paths) {
            copy(p, target.resolve(root.relativize(p).toString()));
        }
        c.log("uploaded " + paths.size() + " path(s) as artifact " + name);
    }

    private static Path commonParent(List<Path> paths) {
        Path common = Files.isDirectory(paths.get(0)) ? paths.get(0) : paths.get(0).getParent();
        for (Path p : paths) {
            while (!p.startsWith(common)) {
                common = common.getParent();
            }
        }
        return common;
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (var walk = Files.walk(from)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Path t = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.createDirectories(t.getParent());
                        Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
