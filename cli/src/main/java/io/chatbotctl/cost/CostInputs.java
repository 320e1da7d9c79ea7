package io.chatbotctl.cost;

/**
 * What the manifests say about capacity.
 *
 * @param instanceType     EC2 instance type of the GPU nodes (from the Deployment's node selector)
 * @param onDemandReplicas replicas always running on on-demand nodes (the HPA's minimum)
 * @param maxReplicas      the HPA's maximum; replicas above the minimum burst onto spot nodes
 * @param spotAllowed      whether the pods tolerate spot nodes at all
 * @param source           the overlay the figures were read from
 */
public record CostInputs(String instanceType, int onDemandReplicas, int maxReplicas, boolean spotAllowed, String source) {
}
