package io.chatbotctl.kube;

import io.chatbotctl.core.InvalidInputException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a command reaches Prometheus and the chatbot's Service (docs/access.md): {@code --access}, else
 * {@code CHATBOTCTL_ACCESS}, else the environment's {@code access} in chatbotctl.yaml, else {@link #AUTO}.
 */
public enum Access {
    /** Through the API server for URLs whose host is a Service name ({@code NAME.NAMESPACE.svc}), directly otherwise. */
    AUTO,
    /** Always directly: the machine reaches the URL itself (in the cluster, a VPN, a port-forward). */
    DIRECT,
    /** Always through the API server's service proxy; a URL that names no Service goes to the chatbot's Service. */
    API_SERVER;

    /** The spellings users write, in declaration order. */
    public static final List<String> LABELS = Arrays.stream(values()).map(Access::label).toList();

    /** {@code auto}, {@code direct} or {@code api-server}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return label();
    }

    /** @param source where the value came from, for the message ({@code --access}, {@code CHATBOTCTL_ACCESS}) */
    public static Access parse(String value, String source) {
        for (Access access : values()) {
            if (access.label().equalsIgnoreCase(value.strip())) {
                return access;
            }
        }
        throw new InvalidInputException(source + ": '" + value + "' is not one of " + String.join(", ", LABELS),
                "see docs/access.md");
    }

    /** The first of {@code option}, {@code variable} and {@code configured} that is set, else {@link #AUTO}. */
    public static Access select(String option, String variable, String configured) {
        if (option != null && !option.isBlank()) {
            return parse(option, "--access");
        }
        if (variable != null && !variable.isBlank()) {
            return parse(variable, "CHATBOTCTL_ACCESS");
        }
        return configured == null || configured.isBlank() ? AUTO : parse(configured, "access in chatbotctl.yaml");
    }
}
