package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.List;

/**
 * The serving settings' ConfigMap: {@code vllm-config}, or the name with a Kustomize hash suffix the Deployment
 * refers to ({@code vllm-config-5g2k7c}).
 */
final class ConfigMaps {
    private ConfigMaps() {}

    static ConfigMap serving(RunContext context) {
        Deployment deployment = Hpas.deployment(context);
        if (deployment != null) {
            for (String name : referenced(deployment)) {
                if (name.startsWith(context.names.configMap())) {
                    ConfigMap map = context.client.configMaps().inNamespace(context.namespace).withName(name).get();
                    if (map != null) {
                        return map;
                    }
                }
            }
        }
        return context.client.configMaps().inNamespace(context.namespace).withName(context.names.configMap()).get();
    }

    private static List<String> referenced(Deployment deployment) {
        List<String> names = new ArrayList<>();
        var spec = deployment.getSpec().getTemplate().getSpec();
        if (spec.getVolumes() != null) {
            spec.getVolumes().stream().filter(v -> v.getConfigMap() != null).forEach(v -> names.add(v.getConfigMap().getName()));
        }
        spec.getContainers().forEach(c -> {
            if (c.getEnvFrom() != null) {
                c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null).forEach(e -> names.add(e.getConfigMapRef().getName()));
            }
            if (c.getEnv() != null) {
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null)
                        .forEach(e -> names.add(e.getValueFrom().getConfigMapKeyRef().getName()));
            }
        });
        return names;
    }
}
