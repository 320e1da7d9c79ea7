package io.chatbotctl.core;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;

/** Passes an upstream answer on to a loopback server's client as it arrives: status, content type, body (SSE flushed). */
public final class HttpRelay {
    private HttpRelay() {}

    public static void relay(HttpResponse<InputStream> response, HttpExchange exchange) throws IOException {
        response.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
        exchange.sendResponseHeaders(response.statusCode(), 0);
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }
}
