package io.chatbotctl.doctor;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.openai.ChatMessage;
import io.chatbotctl.openai.ChatRequest;
import io.chatbotctl.openai.OpenAiClient;
import io.chatbotctl.openai.OpenAiException;
import io.chatbotctl.openai.StreamListener;
import io.chatbotctl.openai.StreamResult;

import java.util.List;

/** End to end: one streamed chat completion with the API key through the configured endpoint, its TTFT. */
final class EndToEndCheck {
    static final String GROUP = "End to end";
    static final String PROMPT = "Reply with the single word OK.";
    static final int MAX_TOKENS = 8;

    private EndToEndCheck() {}

    static CheckResult run(DoctorRequest request) {
        if (request.endpoint() == null) {
            return CheckResult.warn(GROUP, "chat-stream", "no endpoint configured: no request was sent",
                    "set environments." + request.environment() + ".endpoint in chatbotctl.yaml, or pass --endpoint URL");
        }
        if (request.apiKey() == null) {
            return CheckResult.warn(GROUP, "chat-stream", "no API key: no request was sent to " + request.endpoint(),
                    "export CHATBOTCTL_API_KEY with a key of the proxy (chatbotctl proxy keys create)");
        }
        OpenAiClient client = OpenAiClient.create(request.endpoint(), request.apiKey(), request.timeout());
        try {
            StreamResult r = client.streamChat(ChatRequest.of(request.model(), List.of(ChatMessage.user(PROMPT)))
                    .withMaxTokens(MAX_TOKENS).withTemperature(0.0), StreamListener.NONE);
            if (r.firstContentNanos() == 0) {
                return CheckResult.fail(GROUP, "chat-stream", "POST " + client.baseUrl() + "/chat/completions streamed "
                        + r.chunks() + " chunk(s) but no content", "check the model's logs: it answered with no tokens");
            }
            return CheckResult.ok(GROUP, "chat-stream", "POST " + client.baseUrl() + "/chat/completions (model " + request.model()
                    + "): TTFT " + millis(r.firstContentNanos() - r.startNanos()) + " ms, " + r.contentChunks() + " content chunk(s), "
                    + millis(r.endNanos() - r.startNanos()) + " ms to [DONE]");
        } catch (OpenAiException e) {
            String fix = e.status() == 401 || e.status() == 403 ? "the proxy refused CHATBOTCTL_API_KEY: use a key it knows (chatbotctl proxy keys list)"
                    : e.status() == 404 ? "the Gateway routes nothing here: check the HTTPRoute's hostnames and paths (Traffic above)"
                    : e.hint();
            return CheckResult.fail(GROUP, "chat-stream", client.baseUrl() + ": " + e.getMessage(), fix);
        } catch (ChatbotctlException e) {
            return CheckResult.fail(GROUP, "chat-stream", client.baseUrl() + ": " + e.getMessage(), e.hint());
        }
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
