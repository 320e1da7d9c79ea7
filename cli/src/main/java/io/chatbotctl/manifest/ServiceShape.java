package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the rendered manifests say about the serving fleet, for cost estimates and status: GPU instance type
 * (from the Deployment's node selector), replica bounds (from the HPA, else the Deployment), and how replicas split
 * between on-demand and spot capacity.
 *
 * @param deployment           the serving Deployment's name
 * @param instanceType         EC2 instance type from {@code node.kubernetes.io/instance-type}, or null
 * @param gpuModel             GPU model from {@link GpuCatalog}, or null when the type is unknown
 * @param gpuMemoryGiB         usable memory of one GPU, 0 when unknown
 * @param gpusPerReplica       {@code nvidia.com/gpu} limit of the vLLM container
 * @param minReplicas          HPA minReplicas (or the Deployment's replicas without an HPA)
 * @param maxReplicas          HPA maxReplicas (or the Deployment's replicas)
 * @param onDemandBaseReplicas replicas meant to run on on-demand nodes ({@code chatbotctl.io/on-demand-base})
 * @param spotMaxReplicas      replicas that may run on spot nodes: maxReplicas - onDemandBaseReplicas when spot is allowed
 * @param spotAllowed          the pods tolerate the spot node taint
 */
public record ServiceShape(String deployment, String instanceType, String gpuModel, double gpuMemoryGiB,
                           int gpusPerReplica, int minReplicas, int maxReplicas, int onDemandBaseReplicas,
                           int spotMaxReplicas, boolean spotAllowed) {

    public static final String DEPLOYMENT = "vllm-chatbot";
    public static final String HPA = "vllm-chatbot-hpa";
    public static final String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
    public static final String CAPACITY_TYPE_LABEL = "eks.amazonaws.com/capacityType";
    public static final String ON_DEMAND_BASE_ANNOTATION = "chatbotctl.io/on-demand-base";

    /** {@code on-demand}, {@code spot} or {@code on-demand+spot}. */
    public String capacity() {
        if (!spotAllowed) {
            return "on-demand";
        }
        return onDemandBaseReplicas == 0 ? "spot" : "on-demand+spot";
    }

    static ServiceShape of(RenderedManifests manifests) {
        ObjectNode deployment = manifests.ofKind("Deployment").stream()
                .filter(d -> KubeObjects.name(d).equals(DEPLOYMENT)).findFirst()
                .or(() -> manifests.ofKind("Deployment").stream().findFirst())
                .orElseThrow(() -> new io.chatbotctl.core.InvalidInputException("the manifests have no Deployment"));
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        String instanceType = pod.path("nodeSelector").path(INSTANCE_TYPE_LABEL).asText(null);
        var gpu = GpuCatalog.lookup(instanceType);
        int gpus = 0;
        for (JsonNode c : pod.path("containers")) {
            gpus = Math.max(gpus, c.path("resources").path("limits").path("nvidia.com/gpu").asInt(0));
        }
        int replicas = deployment.path("spec").path("replicas").asInt(1);
        int min = replicas;
        int max = replicas;
        for (ObjectNode hpa : manifests.ofKind("HorizontalPodAutoscaler")) {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            if (target.path("name").asText().equals(KubeObjects.name(deployment))) {
                min = hpa.path("spec").path("minReplicas").asInt(1);
                max = hpa.path("spec").path("maxReplicas").asInt(min);
            }
        }
        boolean spot = toleratesSpot(pod);
        String base = deployment.path("metadata").path("annotations").path(ON_DEMAND_BASE_ANNOTATION).asText(null);
        int onDemand = base != null ? Integer.parseInt(base.trim()) : (spot ? 0 : max);
        onDemand = Math.min(onDemand, max);
        return new ServiceShape(KubeObjects.name(deployment), instanceType, gpu.map(GpuCatalog.GpuInstance::gpuModel).orElse(null),
                gpu.map(GpuCatalog.GpuInstance::gpuMemoryGiB).orElse(0.0), gpus, min, max, onDemand,
                spot ? max - onDemand : 0, spot);
    }

    static boolean toleratesSpot(JsonNode podSpec) {
        for (JsonNode t : podSpec.path("tolerations")) {
            String key = t.path("key").asText("");
            if (key.equals(CAPACITY_TYPE_LABEL) && (t.path("operator").asText("Equal").equals("Exists")
                    || t.path("value").asText().equals("SPOT"))) {
                return true;
            }
            if (key.isEmpty() && t.path("operator").asText().equals("Exists")) {
                return true;
            }
        }
        return false;
    }
}
