package io.chatbotctl.deploy;

/**
 * What an apply did, or would do, to one object.
 *
 * @param kind      kind
 * @param namespace namespace, or null for cluster-scoped objects
 * @param name      name
 * @param action    {@code created}, {@code configured}, {@code unchanged}, {@code pruned} (after the fact);
 *                  {@code create}, {@code update}, {@code none}, {@code delete} (plans: diff and dry runs)
 * @param diff      unified diff live → merged (plans only; empty when nothing changes)
 */
public record ObjectChange(String kind, String namespace, String name, String action, String diff) {
    static ObjectChange of(ObjectRef ref, String action, String diff) {
        return new ObjectChange(ref.kind(), ref.namespace(), ref.name(), action, diff);
    }
}
