package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Progress;
import io.chatbotctl.kube.KubeConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one release's objects as members of the environment's {@link ApplySet}, waits for its Deployments, and
 * prunes the members that are not in it. Deployments scaled by an HPA of the same release are applied without
 * {@code spec.replicas}, so the apply never fights the autoscaler (and never owns the field).
 */
final class ReleaseApplier {
    private static final Map<String, String> PREFERRED_VERSIONS = Map.ofEntries(Map.entry("", "v1"),
            Map.entry("apps", "apps/v1"), Map.entry("networking.k8s.io", "networking.k8s.io/v1"),
            Map.entry("policy", "policy/v1"), Map.entry("autoscaling", "autoscaling/v2"), Map.entry("batch", "batch/v1"),
            Map.entry("rbac.authorization.k8s.io", "rbac.authorization.k8s.io/v1"),
            Map.entry("monitoring.coreos.com", "monitoring.coreos.com/v1"), Map.entry("keda.sh", "keda.sh/v1alpha1"),
            Map.entry("gateway.networking.k8s.io", "gateway.networking.k8s.io/v1"),
            Map.entry("gateway.k8s.aws", "gateway.k8s.aws/v1beta1"),
            Map.entry("gateway.envoyproxy.io", "gateway.envoyproxy.io/v1alpha1"));

    private final ClusterObjects objects;
    private final ApplySet applySet;
    private final RolloutWatcher watcher;
    private final Progress progress;

    ReleaseApplier(KubeConnection kube, String environment, Progress progress) {
        this.objects = new ClusterObjects(kube);
        this.applySet = new ApplySet(environment, kube.namespace());
        this.watcher = new RolloutWatcher(kube, DeployService.POLL, DeployService.MAX_POLL);
        this.progress = progress;
    }

    ClusterObjects objects() {
        return objects;
    }

    ApplySet applySet() {
        return applySet;
    }

    /** The objects as they will be applied: namespace filled in, ApplySet label added, HPA-managed replicas removed. */
    List<ObjectNode> prepare(List<ObjectNode> rendered) {
        Set<String> autoscaled = new LinkedHashSet<>();
        for (ObjectNode o : rendered) {
            if ("HorizontalPodAutoscaler".equals(o.path("kind").asText())) {
                JsonNode target = o.path("spec").path("scaleTargetRef");
                autoscaled.add(target.path("kind").asText() + "/" + target.path("name").asText());
            }
        }
        List<ObjectNode> prepared = new ArrayList<>();
        for (ObjectNode o : rendered) {
            ObjectNode copy = applySet.member(objects.withNamespace(o));
            if (autoscaled.contains(copy.path("kind").asText() + "/" + copy.path("metadata").path("name").asText())
                    && copy.get("spec") instanceof ObjectNode spec) {
                spec.remove("replicas");
            }
            prepared.add(copy);
        }
        return prepared;
    }

    /** Dry-run applies every object and compares with the live one; adds members that would be pruned. */
    List<ObjectChange> plan(List<ObjectNode> prepared) {
        List<ObjectChange> changes = new ArrayList<>();
        Set<String> keep = new LinkedHashSet<>();
        for (ObjectNode o : prepared) {
            ObjectRef ref = ObjectRef.of(o);
            keep.add(ref.key());
            ObjectNode live = ObjectDiffs.normalize(objects.get(ref));
            ObjectNode merged = ObjectDiffs.normalize(objects.apply(o, true));
            String diff = ObjectDiffs.unified(ref, live, merged);
            String action = live == null ? "create" : diff.isEmpty() ? "none" : "update";
            changes.add(ObjectChange.of(ref, action, diff));
        }
        for (ObjectNode member : members(groupKinds(prepared))) {
            ObjectRef ref = ObjectRef.of(member);
            if (!keep.contains(ref.key()) && !"Namespace".equals(ref.kind())) {
                changes.add(ObjectChange.of(ref, "delete", ObjectDiffs.unified(ref, ObjectDiffs.normalize(member), null)));
            }
        }
        return changes;
    }

    /** Applies every object (after declaring their kinds in the ApplySet parent) and says what changed. */
    List<ObjectChange> apply(List<ObjectNode> prepared) {
        Set<String> kinds = new LinkedHashSet<>(declaredKinds());
        kinds.addAll(groupKinds(prepared).keySet());
        objects.apply(applySet.parent(kinds), false);
        List<ObjectChange> changes = new ArrayList<>();
        for (ObjectNode o : prepared) {
            ObjectRef ref = ObjectRef.of(o);
            ObjectNode before = ObjectDiffs.normalize(objects.get(ref));
            ObjectNode after = ObjectDiffs.normalize(objects.apply(o, false));
            String action = before == null ? "created" : before.equals(after) ? "unchanged" : "configured";
            changes.add(ObjectChange.of(ref, action, ""));
            progress.log(ref.kind().toLowerCase() + "/" + ref.name() + " " + action);
        }
        return changes;
    }

    /** Waits for every Deployment of the release, in order; stops at the first that does not complete. */
    List<RolloutWatcher.Outcome> await(List<ObjectNode> prepared, Duration timeout) throws InterruptedException {
        List<RolloutWatcher.Outcome> outcomes = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ObjectNode o : prepared) {
            if ("Deployment".equals(o.path("kind").asText())) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                RolloutWatcher.Outcome outcome = watcher.await(o.path("metadata").path("name").asText(), left, progress);
                outcomes.add(outcome);
                if (!outcome.complete()) {
                    break;
                }
            }
        }
        return outcomes;
    }

    /** Deletes the ApplySet members not in {@code prepared} (never Namespaces), then narrows the parent's kinds. */
    List<String> prune(List<ObjectNode> prepared) {
        Set<String> keep = new LinkedHashSet<>();
        for (ObjectNode o : prepared) {
            keep.add(ObjectRef.of(o).key());
        }
        List<String> pruned = new ArrayList<>();
        for (ObjectNode member : members(groupKinds(prepared))) {
            ObjectRef ref = ObjectRef.of(member);
            if (keep.contains(ref.key())) {
                continue;
            }
            if ("Namespace".equals(ref.kind())) {
                progress.log("kept namespace/" + ref.name() + ": chatbotctl never prunes namespaces");
                continue;
            }
            objects.delete(ref);
            pruned.add(ref.toString());
            progress.log(ref.kind().toLowerCase() + "/" + ref.name() + " pruned");
        }
        objects.apply(applySet.parent(groupKinds(prepared).keySet()), false);
        return pruned;
    }

    private List<String> declaredKinds() {
        return ApplySet.declaredGroupKinds(objects.get(new ObjectRef("v1", "Secret", objects.kube().namespace(), applySet.parentName())));
    }

    /** Live members of the ApplySet, over the kinds the parent declares and those of {@code prepared}. */
    private List<ObjectNode> members(Map<String, String> currentKinds) {
        Map<String, String> versions = new LinkedHashMap<>(currentKinds);
        for (String groupKind : declaredKinds()) {
            int dot = groupKind.indexOf('.');
            String group = dot < 0 ? "" : groupKind.substring(dot + 1);
            String version = PREFERRED_VERSIONS.get(group);
            if (!versions.containsKey(groupKind)) {
                if (version == null) {
                    progress.log("cannot check " + groupKind + " objects for pruning: unknown API version");
                    continue;
                }
                versions.put(groupKind, version);
            }
        }
        List<ObjectNode> members = new ArrayList<>();
        versions.forEach((groupKind, apiVersion) -> {
            String kind = groupKind.contains(".") ? groupKind.substring(0, groupKind.indexOf('.')) : groupKind;
            members.addAll(objects.list(apiVersion, kind, objects.kube().namespace(), ApplySet.PART_OF, applySet.id()));
        });
        return members;
    }

    /** Group-kind → apiVersion of the objects. */
    private static Map<String, String> groupKinds(List<ObjectNode> objects) {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (ObjectNode o : objects) {
            ObjectRef ref = ObjectRef.of(o);
            kinds.putIfAbsent(ref.groupKind(), ref.apiVersion());
        }
        return kinds;
    }
}
