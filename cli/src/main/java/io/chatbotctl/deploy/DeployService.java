package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.manifest.ImageOverrides;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Releases of one environment: deploy (lint, server-side apply, record, wait, prune, roll back on failure), rollback,
 * history and diff. Each call opens its own cluster connection.
 */
public final class DeployService {
    /** First interval between rollout polls; it grows to {@link #MAX_POLL} while nothing changes. */
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration MAX_POLL = Duration.ofSeconds(2);

    private final DeployTarget target;

    public DeployService(DeployTarget target) {
        this.target = target;
    }

    public DeployResult deploy(ManifestSource source, DeployRequest request, Progress progress) throws InterruptedException {
        long start = System.nanoTime();
        Manifests manifests = source.render(request.images());
        List<String> errors = source.lintErrors(manifests);
        if (!errors.isEmpty()) {
            throw new CheckFailedException("lint found " + errors.size() + " error(s), nothing was applied:\n  "
                    + String.join("\n  ", errors), "fix them (chatbotctl lint --env " + target.environment() + ")");
        }
        String commit = GitCommit.of(target.projectDir(), target.kube().variables());
        try (KubeConnection kube = KubeConnection.open(target.kube())) {
            ReleaseApplier applier = new ReleaseApplier(kube, target.environment(), progress);
            ReleaseStore store = new ReleaseStore(applier.objects(), target.environment());
            List<ObjectNode> prepared = applier.prepare(manifests.objects());
            MissingSecrets.find(kube.client(), prepared).forEach(line -> progress.log("warning: " + line));
            int version = store.nextVersion();
            if (request.dryRun()) {
                return new DeployResult(target.environment(), kube.namespace(), "dry-run", version, manifests.image(), commit,
                        applier.plan(prepared), List.of(), null, List.of(), null, null, seconds(start));
            }
            Release previous = store.current();
            Release release = new Release(target.environment(), version, Release.PENDING, manifests.image(), commit,
                    Instant.now(), "deploy");
            store.save(release, manifests.yaml());
            progress.log("release v" + version + " of " + target.environment() + ": applying " + prepared.size()
                    + " objects to " + kube.namespace() + " (" + kube.source() + ")");
            List<ObjectChange> changes = applier.apply(prepared);
            List<RolloutWatcher.Outcome> outcomes = applier.await(prepared, request.timeout());
            RolloutWatcher.Outcome failed = firstFailure(outcomes);
            if (failed == null) {
                List<String> pruned = applier.prune(prepared);
                markDeployed(store, release, previous);
                return new DeployResult(target.environment(), kube.namespace(), "deployed", version, manifests.image(), commit,
                        changes, pruned, lastState(outcomes), List.of(), null, null, seconds(start));
            }
            String why = describe(failed, request.timeout());
            store.updateStatus(release.withStatus(Release.FAILED, "rollout failed: " + why));
            if (!request.rollbackOnFailure() || previous == null) {
                if (previous == null) {
                    progress.log("no earlier release to roll back to");
                }
                return new DeployResult(target.environment(), kube.namespace(), "failed", version, manifests.image(), commit,
                        changes, List.of(), why, failed.podProblems(), null, null, seconds(start));
            }
            progress.log("rollout failed (" + why + "); rolling back to v" + previous.version());
            Manifests restored = Manifests.parse(store.manifests(previous.version()));
            Release rollback = new Release(target.environment(), version + 1, Release.PENDING, previous.image(),
                    previous.gitCommit(), Instant.now(), "automatic rollback to v" + previous.version() + " after v" + version + " failed");
            RolloutRun run = applyRelease(applier, store, rollback, restored, previous, request.timeout());
            List<String> problems = new ArrayList<>(failed.podProblems());
            if (!run.healthy()) {
                problems.add("the rollback to v" + previous.version() + " (v" + rollback.version() + ") did not complete either: " + run.state());
                problems.addAll(run.podProblems());
            }
            return new DeployResult(target.environment(), kube.namespace(), "rolled-back", version, manifests.image(), commit,
                    changes, run.pruned(), why, problems, previous.version(), rollback.version(), seconds(start));
        }
    }

    /** Restores release {@code to} (default: the one before the current) as a new release. */
    public DeployResult rollback(Integer to, Duration timeout, Progress progress) throws InterruptedException {
        long start = System.nanoTime();
        try (KubeConnection kube = KubeConnection.open(target.kube())) {
            ReleaseApplier applier = new ReleaseApplier(kube, target.environment(), progress);
            ReleaseStore store = new ReleaseStore(applier.objects(), target.environment());
            List<Release> releases = store.list();
            Release current = store.current();
            Release wanted = to != null ? find(releases, to) : previousOf(releases, current);
            Manifests manifests = Manifests.parse(store.manifests(wanted.version()));
            Release rollback = new Release(target.environment(), store.nextVersion(), Release.PENDING, wanted.image(),
                    wanted.gitCommit(), Instant.now(), "rollback to v" + wanted.version());
            progress.log("rolling " + target.environment() + " back to release v" + wanted.version() + " (" + wanted.image() + ")");
            RolloutRun run = applyRelease(applier, store, rollback, manifests, current, timeout);
            return new DeployResult(target.environment(), kube.namespace(), run.healthy() ? "deployed" : "failed",
                    rollback.version(), wanted.image(), wanted.gitCommit(), run.changes(), run.pruned(), run.state(),
                    run.podProblems(), null, null, seconds(start));
        }
    }

    public HistoryResult history() {
        try (KubeConnection kube = KubeConnection.open(target.kube())) {
            ReleaseStore store = new ReleaseStore(new ClusterObjects(kube), target.environment());
            return new HistoryResult(target.environment(), kube.namespace(), store.list());
        }
    }

    public DiffResult diff(ManifestSource source, ImageOverrides images) {
        Manifests manifests = source.render(images);
        try (KubeConnection kube = KubeConnection.open(target.kube())) {
            ReleaseApplier applier = new ReleaseApplier(kube, target.environment(), Progress.NONE);
            return new DiffResult(target.environment(), kube.namespace(), applier.plan(applier.prepare(manifests.objects())));
        }
    }

    private record RolloutRun(boolean healthy, String state, List<ObjectChange> changes, List<String> pruned, List<String> podProblems) {}

    private RolloutRun applyRelease(ReleaseApplier applier, ReleaseStore store, Release release, Manifests manifests,
                                    Release previous, Duration timeout) throws InterruptedException {
        store.save(release, manifests.yaml());
        List<ObjectNode> prepared = applier.prepare(manifests.objects());
        List<ObjectChange> changes = applier.apply(prepared);
        List<RolloutWatcher.Outcome> outcomes = applier.await(prepared, timeout);
        RolloutWatcher.Outcome failed = firstFailure(outcomes);
        if (failed != null) {
            String why = describe(failed, timeout);
            store.updateStatus(release.withStatus(Release.FAILED, release.description() + ": rollout failed: " + why));
            return new RolloutRun(false, why, changes, List.of(), failed.podProblems());
        }
        List<String> pruned = applier.prune(prepared);
        markDeployed(store, release, previous);
        return new RolloutRun(true, lastState(outcomes), changes, pruned, List.of());
    }

    private static void markDeployed(ReleaseStore store, Release release, Release previous) {
        if (previous != null) {
            store.updateStatus(previous.withStatus(Release.SUPERSEDED, null));
        }
        store.updateStatus(release.withStatus(Release.DEPLOYED, null));
        store.trim();
    }

    private static Release find(List<Release> releases, int version) {
        for (Release r : releases) {
            if (r.version() == version) {
                return r;
            }
        }
        throw new InvalidInputException("release v" + version + " does not exist",
                releases.isEmpty() ? "nothing was deployed yet" : "recorded releases: v" + releases.get(0).version()
                        + " to v" + releases.get(releases.size() - 1).version() + " (see chatbotctl history)");
    }

    private static Release previousOf(List<Release> releases, Release current) {
        if (current == null) {
            throw new CheckFailedException("no release is deployed, so there is nothing to roll back from",
                    "pass --to N to restore a recorded release (see chatbotctl history)");
        }
        Release previous = null;
        for (Release r : releases) {
            if (r.version() < current.version() && !Release.FAILED.equals(r.status()) && !Release.PENDING.equals(r.status())) {
                previous = r;
            }
        }
        if (previous == null) {
            throw new CheckFailedException("release v" + current.version() + " is the only healthy release recorded",
                    "nothing earlier to roll back to; pass --to N for a specific release");
        }
        return previous;
    }

    private static RolloutWatcher.Outcome firstFailure(List<RolloutWatcher.Outcome> outcomes) {
        return outcomes.stream().filter(o -> !o.complete()).findFirst().orElse(null);
    }

    private static String lastState(List<RolloutWatcher.Outcome> outcomes) {
        return outcomes.isEmpty() ? "no Deployment to wait for" : outcomes.get(outcomes.size() - 1).state().message();
    }

    private static String describe(RolloutWatcher.Outcome failed, Duration timeout) {
        return failed.timedOut()
                ? "timed out after " + io.chatbotctl.core.Durations.format(timeout) + " (" + failed.state().message() + ")"
                : failed.state().message();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
