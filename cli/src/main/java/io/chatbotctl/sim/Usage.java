package io.chatbotctl.sim;

final class Usage {
    private Usage() {}

    static String json(int promptTokens, int outputTokens) {
        return "{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":" + (promptTokens + outputTokens)
                + ",\"completion_tokens\":" + outputTokens + ",\"prompt_tokens_details\":null}";
    }
}
