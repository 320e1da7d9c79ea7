package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the vLLM container of a pod template listens, from its command line ({@code --host}, {@code --port}).
 *
 * @param container the container: the one named {@code vllm}, else the first that asks for a GPU
 * @param host      the {@code --host} value, or null when absent (vLLM then listens on every interface)
 * @param port      the {@code --port} value, 8000 when absent, -1 when not a number (e.g. {@code $(PORT)})
 */
record VllmServer(JsonNode container, String host, int port) {
    static final int DEFAULT_PORT = 8000;

    static Optional<VllmServer> of(JsonNode podSpec) {
        JsonNode container = null;
        for (JsonNode c : podSpec.path("containers")) {
            if (ManifestRenderer.VLLM_CONTAINER.equals(c.path("name").asText())) {
                container = c;
                break;
            }
        }
        if (container == null) {
            for (JsonNode c : podSpec.path("containers")) {
                if (c.path("resources").path("limits").path(LintContext.GPU).asInt(0) > 0) {
                    container = c;
                    break;
                }
            }
        }
        if (container == null) {
            return Optional.empty();
        }
        List<String> words = new ArrayList<>();
        container.path("command").forEach(w -> words.add(w.asText()));
        container.path("args").forEach(w -> words.add(w.asText()));
        String host = flag(words, "--host");
        String port = flag(words, "--port");
        int number;
        try {
            number = port == null ? DEFAULT_PORT : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            number = -1;
        }
        return Optional.of(new VllmServer(container, host, number));
    }

    private static String flag(List<String> words, String name) {
        String value = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith(name + "=")) {
                value = w.substring(name.length() + 1);
            } else if (w.equals(name) && i + 1 < words.size()) {
                value = words.get(i + 1);
            }
        }
        return value;
    }

    String name() {
        return container.path("name").asText();
    }

    /** Reachable only from inside the pod: 127.0.0.0/8, ::1 or localhost. */
    boolean loopbackOnly() {
        return host != null && (host.startsWith("127.") || host.equals("::1") || host.equals("[::1]") || host.equals("localhost"));
    }

    String address() {
        return (host == null ? "every interface" : host) + ":" + (port < 0 ? "?" : port);
    }

    /** Whether a container port (number, or name declared by this container) is vLLM's own port. */
    boolean isItsPort(JsonNode port) {
        if (port.isNumber() || port.asText().matches("\\d+")) {
            return port.asInt() == this.port;
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return true;
            }
        }
        return false;
    }
}
