package io.chatbotctl.proxy;

import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The proxy in front of the demo's simulator with two keys: a request without a key (401), a key over its two
 * requests a minute (429 and its headers), a streamed answer on the other key; the access log goes to
 * {@code proxy-access.log} in the report directory. The later steps keep talking to the simulator directly.
 */
public final class ProxyDemoStep implements DemoStep {
    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"Where is my order?\"}],"
            + "\"max_tokens\":16,\"stream\":%s}";

    @Override
    public String title() {
        return "guard the simulator with chatbotctl proxy (keys, limits, access log)";
    }

    @Override
    public String run(DemoContext context) throws Exception {
        String endpoint = context.get(DemoContext.ENDPOINT);
        Path keys = context.reportDir().resolve("proxy-keys.yaml");
        AtomicFiles.writeString(keys, "keys: []\n");
        String web = Keys.create(keys, "support-web", 2, 20_000, 4).key();
        String batch = Keys.create(keys, "batch-eval", 0, 0, 0).key();
        ProxyOptions options = ProxyOptions.resolve(new ProxyOptions.Flags(endpoint, "127.0.0.1:0", "127.0.0.1:0", keys,
                        null, null, null, null, null, 400, 256, null, null, Duration.ofSeconds(10)), null, Map.of(),
                io.chatbotctl.config.ConfigLoader.DEFAULT_MODEL,
                context.projectDir());
        List<String> log = new CopyOnWriteArrayList<>();
        ProxyServer proxy = ProxyServer.start(options, log::add, line -> context.progress().log("      proxy: " + line));
        context.closeAtEnd(proxy);
        String url = proxy.baseUrl() + "/chat/completions";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> noKey = post(http, url, null, false);
        context.progress().log("      no key        -> " + noKey.statusCode() + " " + noKey.body());
        int ok = 0;
        HttpResponse<String> limited = null;
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post(http, url, web, false);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                limited = r;
            }
        }
        HttpResponse<String> stream = post(http, url, batch, true);
        if (noKey.statusCode() != 401 || limited == null || limited.statusCode() != 429 || stream.statusCode() != 200) {
            throw new CheckFailedException("the proxy answered " + noKey.statusCode() + " without a key, "
                    + (limited == null ? "no 429" : limited.statusCode()) + " over the limit, " + stream.statusCode()
                    + " for a stream (expected 401, 429, 200)");
        }
        var h = limited.headers();
        context.progress().log("      support-web 3rd -> 429 retry-after=" + h.firstValue("retry-after").orElse("?")
                + " x-ratelimit-limit-requests=" + h.firstValue("x-ratelimit-limit-requests").orElse("?")
                + " x-ratelimit-remaining-requests=" + h.firstValue("x-ratelimit-remaining-requests").orElse("?")
                + " x-ratelimit-reset-requests=" + h.firstValue("x-ratelimit-reset-requests").orElse("?")
                + " x-ratelimit-remaining-tokens=" + h.firstValue("x-ratelimit-remaining-tokens").orElse("?"));
        // a line is written once its answer is: wait for the last one
        io.chatbotctl.core.Poll.until(Duration.ofSeconds(5), Duration.ofMillis(10), last -> log.size() >= 5 ? log : null);
        log.forEach(line -> context.progress().log("      access log: " + line));
        AtomicFiles.writeString(context.reportDir().resolve("proxy-access.log"), String.join("\n", log) + "\n");
        return "401 without a key, " + ok + " of 3 admitted then 429 (retry-after " + h.firstValue("retry-after")
                .orElse("?") + " s) for support-web, a streamed answer for batch-eval; " + log.size()
                + " access-log lines in proxy-access.log";
    }

    private static HttpResponse<String> post(HttpClient http, String url, String key, boolean stream) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(String.format(BODY, stream)));
        if (key != null) {
            b.header("authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
