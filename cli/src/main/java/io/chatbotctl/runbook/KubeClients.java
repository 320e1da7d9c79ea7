package io.chatbotctl.runbook;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds the fabric8 client from KUBECONFIG (or ~/.kube/config) and a context; fails fast when unreachable. */
public final class KubeClients {
    private KubeClients() {}

    public static KubernetesClient connect(Map<String, String> variables, String context) {
        Path kubeconfig = kubeconfig(variables);
        Config config;
        try {
            config = kubeconfig == null ? Config.autoConfigure(context)
                    : Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ExternalSystemException("cannot use kubeconfig " + kubeconfig + ": " + e.getMessage(),
                    "check KUBECONFIG and --context");
        }
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(10_000);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static Path kubeconfig(Map<String, String> variables) {
        String list = variables.get("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            for (String entry : list.split(File.pathSeparator)) {
                if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
                    return Path.of(entry);
                }
            }
            throw new InvalidInputException("KUBECONFIG names no readable file: " + list);
        }
        String home = variables.get("HOME");
        Path fallback = home == null ? null : Path.of(home, ".kube", "config");
        return fallback != null && Files.isRegularFile(fallback) ? fallback : null;
    }
}
