package io.chatbotctl.sim;

/**
 * What {@code chatbotctl sim} prints once it listens.
 *
 * @param url                 the OpenAI base URL to give clients ({@code --endpoint})
 * @param metricsUrl          the Prometheus scrape URL
 * @param model               the served model name
 * @param profile             the profile the settings started from
 * @param maxNumSeqs          running slots
 * @param itlMillis           inter-token latency of a lone request
 * @param prefillPer1kMillis  prefill time per 1,000 prompt tokens
 * @param kvCapacityTokens    KV-cache capacity
 * @param vllmVersion         the vLLM version whose series /metrics serves
 */
public record SimListening(String url, String metricsUrl, String model, String profile, int maxNumSeqs,
                           double itlMillis, double prefillPer1kMillis, long kvCapacityTokens,
                           String vllmVersion) {

    public static SimListening of(Simulator sim) {
        SimConfig c = sim.config();
        return new SimListening(sim.baseUrl(), sim.metricsUrl(), c.model(), c.profile(), c.maxNumSeqs(),
                c.itl().toNanos() / 1e6, c.prefillPer1kTokens().toNanos() / 1e6, c.kvCapacityTokens(),
                c.vllmVersion());
    }
}
