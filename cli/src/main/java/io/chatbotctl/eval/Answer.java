package io.chatbotctl.eval;

/**
 * What the model answered to one case.
 *
 * @param text             the assistant's text
 * @param latencyMillis    time from sending the request to the whole answer; null when it came from the cache
 * @param completionTokens tokens of the answer as the server counted them ({@code usage}), or null
 * @param cached           read from the response cache instead of asked
 */
public record Answer(String text, Double latencyMillis, Integer completionTokens, boolean cached) {
}
