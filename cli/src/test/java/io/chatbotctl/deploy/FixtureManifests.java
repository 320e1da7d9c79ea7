package io.chatbotctl.deploy;

import java.util.ArrayList;
import java.util.List;

/** Small rendered manifests for domain tests: a ConfigMap, the vLLM Deployment, its Service and HPA. */
final class FixtureManifests implements ManifestSource {
    String configValue = "4096";
    boolean withExtraConfigMap;
    List<String> lintErrors = new ArrayList<>();
    String lastImage;

    @Override
    public Manifests render(io.chatbotctl.manifest.ImageOverrides images) {
        String image = images.vllm();
        lastImage = image;
        return Manifests.parse(yaml(image == null ? "vllm/vllm-openai:v0.6.3" : image));
    }

    @Override
    public List<String> lintErrors(Manifests manifests) {
        return lintErrors;
    }

    String yaml(String image) {
        String extra = withExtraConfigMap ? """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: vllm-extra
                  namespace: ai-serving
                data:
                  note: temporary
                """ : "";
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: vllm-config
                  namespace: ai-serving
                  labels:
                    app.kubernetes.io/name: vllm-chatbot
                data:
                  MAX_MODEL_LEN: "%s"
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: vllm-service
                  namespace: ai-serving
                spec:
                  selector:
                    app.kubernetes.io/name: vllm-chatbot
                  ports:
                  - port: 8000
                    targetPort: 8000
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: vllm-chatbot
                  namespace: ai-serving
                  labels:
                    app.kubernetes.io/name: vllm-chatbot
                spec:
                  replicas: 2
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: vllm-chatbot
                  template:
                    metadata:
                      labels:
                        app.kubernetes.io/name: vllm-chatbot
                    spec:
                      initContainers:
                      - name: model-loader
                        image: chatbotctl:0.1.0
                      containers:
                      - name: vllm
                        image: %s
                        envFrom:
                        - configMapRef:
                            name: vllm-config
                        resources:
                          limits:
                            nvidia.com/gpu: "1"
                          requests:
                            nvidia.com/gpu: "1"
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: vllm-chatbot-hpa
                  namespace: ai-serving
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: vllm-chatbot
                  minReplicas: 1
                  maxReplicas: 4
                  metrics:
                  - type: Pods
                    pods:
                      metric:
                        name: vllm:num_requests_waiting
                      target:
                        type: AverageValue
                        averageValue: "5"
                """.formatted(configValue, image) + extra;
    }
}
