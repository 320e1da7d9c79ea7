package io.chatbotctl.deploy;

/**
 * The autoscaler of a Deployment as {@code kubectl get hpa} shows it.
 *
 * @param name            HPA name
 * @param minReplicas     lower bound
 * @param maxReplicas     upper bound
 * @param currentReplicas replicas it last saw
 * @param desiredReplicas replicas it wants
 * @param metric          the first metric's name, e.g. {@code vllm:num_requests_waiting}
 * @param currentValue    that metric's current value, or {@code <unknown>} before the adapter serves it
 * @param targetValue     that metric's target
 */
public record HpaState(String name, int minReplicas, int maxReplicas, int currentReplicas, int desiredReplicas,
                       String metric, String currentValue, String targetValue) {
}
