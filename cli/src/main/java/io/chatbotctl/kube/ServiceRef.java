package io.chatbotctl.kube;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One port of one Service, as the API server's service proxy names it:
 * {@code /api/v1/namespaces/NAMESPACE/services/[https:]NAME[:PORT]/proxy/PATH}, PORT being the port's name or its
 * number (the API server looks a number up among the Service's ports). Source: kubectl's proxy reference
 * (https://kubectl.docs.kubernetes.io/references/kubectl/proxy/, "Literal Syntax") and the Service REST storage's
 * {@code ResourceLocation} ("svcname", "svcname:port" or "scheme:svcname:port").
 *
 * @param scheme    {@code http} or {@code https}: how the API server talks to the pod
 * @param namespace the Service's namespace
 * @param name      the Service's name
 * @param port      the Service port's name ({@code http}) or number ({@code 9090}); null: the Service's only port
 */
public record ServiceRef(String scheme, String namespace, String name, String port) {

    public ServiceRef {
        scheme = scheme == null ? "http" : scheme;
    }

    /** A plain-HTTP port of a Service. */
    public static ServiceRef http(String namespace, String name, String port) {
        return new ServiceRef("http", namespace, name, port);
    }

    /** The proxy path of this Service port, without a trailing slash. */
    public String proxyPath() {
        String id = ("https".equals(scheme) ? "https:" : "") + name + (port == null ? "" : ":" + port);
        return "/api/v1/namespaces/" + encode(namespace) + "/services/" + encode(id) + "/proxy";
    }

    /** {@code name.namespace:port}, for messages. */
    @Override
    public String toString() {
        return name + "." + namespace + (port == null ? "" : ":" + port);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("%3A", ":");
    }
}
