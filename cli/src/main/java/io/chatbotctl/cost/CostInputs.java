package io.chatbotctl.cost;

/**
 * What the manifests say about capacity.
 *
 * @param instanceType     EC2 instance type of the GPU nodes (from the Deployment's node selector)
 * @param onDemandReplicas replicas always running on on-demand nodes (the on-demand base)
 * @param minReplicas      the HPA's minimum; replicas of it beyond the on-demand base run on spot around the clock
 * @param maxReplicas      the HPA's maximum; replicas above the minimum burst onto spot nodes in busy hours
 * @param spotAllowed      whether the pods tolerate spot nodes at all
 * @param source           the overlay the figures were read from
 */
public record CostInputs(String instanceType, int onDemandReplicas, int minReplicas, int maxReplicas, boolean spotAllowed, String source) {
}
