package io.chatbotctl.doctor;

import io.chatbotctl.config.WorkloadNames;
import io.chatbotctl.kube.Access;
import io.chatbotctl.kube.KubeTarget;
import io.chatbotctl.modelsync.S3Settings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What doctor checks: the environment's cluster and the already reachable URLs of its Prometheus and endpoint. An
 * input that is null makes the checks that need it warn with what to set.
 *
 * @param environment   environment name, for the report
 * @param kube          context and namespace
 * @param names         the service's object names (chatbotctl.yaml)
 * @param overlay       the environment's Kustomize overlay, rendered like deploy does; null when none is configured
 * @param prometheus    Prometheus base URL, or null
 * @param endpoint      OpenAI base URL of the chatbot (through the Gateway), or null
 * @param apiKey        the proxy API key for the end-to-end request ({@code CHATBOTCTL_API_KEY}), or null
 * @param model         served model name for the end-to-end request
 * @param modelUri      S3 URI of the model weights, or null
 * @param s3            how to reach S3 (the caller's credentials)
 * @param proxyRedis    the Redis URL of chatbotctl.yaml's {@code proxy.redis}, or null (the overlay's ConfigMap is read too)
 * @param timeout       how long one probe (Prometheus query, S3 HEAD, Redis PING, first token) may take
 * @param access        how this machine reaches the cluster's services: under {@code api-server} only the API server
 *                      is reachable, so what lives in the VPC alone (Redis) is judged from the pods' side
 */
public record DoctorRequest(String environment, KubeTarget kube, WorkloadNames names, Path overlay, String prometheus,
                            String endpoint, String apiKey, String model, String modelUri, S3Settings s3,
                            String proxyRedis, Duration timeout, Access access) {

    /** A request from a machine that reaches the cluster's network directly. */
    public DoctorRequest(String environment, KubeTarget kube, WorkloadNames names, Path overlay, String prometheus,
                         String endpoint, String apiKey, String model, String modelUri, S3Settings s3,
                         String proxyRedis, Duration timeout) {
        this(environment, kube, names, overlay, prometheus, endpoint, apiKey, model, modelUri, s3, proxyRedis, timeout,
                Access.DIRECT);
    }
}
