package io.chatbotctl.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;

/** An answer the proxy gives itself, in OpenAI's error shape: {@code {"error":{"message","type","param","code"}}}. */
final class ProxyError extends RuntimeException {
    final int status;
    final String type;
    final String code;
    final String param;

    ProxyError(int status, String type, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    static ProxyError badRequest(String message, String param, String code) {
        return new ProxyError(400, "invalid_request_error", code, param, message);
    }

    /** What the access log and the metrics call the error: the code when there is one, else the type. */
    String kind() {
        return code != null ? code : type;
    }

    String json() {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", getMessage());
        e.put("type", type);
        if (param == null) {
            e.putNull("param");
        } else {
            e.put("param", param);
        }
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return root.toString();
    }
}
