package io.chatbotctl.sim;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** What every connection of one simulator shares. */
final class SimContext {
    final SimConfig config;
    final SimMetrics metrics;
    final Engine engine;
    final RequestLog requestLog;
    final ResponseRules rules;
    final Random random;
    final long startNanos;
    final String escapedModel;
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();
    private final String[] korean;
    private final String[] english;

    SimContext(SimConfig config, ResponseRules rules) {
        this.config = config;
        this.rules = rules;
        this.metrics = new SimMetrics(io.chatbotctl.core.vllm.VllmCatalog.load(config.vllmVersion()), config.model(),
                config.maxModelLen());
        this.engine = new Engine(config.maxNumSeqs(), config.kvCapacityTokens(), metrics);
        this.requestLog = new RequestLog(config.requestLogLimit());
        this.random = config.seed() == null ? new Random() : new Random(config.seed());
        this.startNanos = System.nanoTime();
        this.escapedModel = JsonText.escape(config.model());
        this.idPrefix = Long.toHexString(random.nextLong() | Long.MIN_VALUE);
        this.korean = escapedPieces(ResponseRules.KOREAN);
        this.english = escapedPieces(ResponseRules.ENGLISH);
    }

    String nextId(boolean chat) {
        return (chat ? "chatcmpl-" : "cmpl-") + idPrefix + Long.toHexString(ids.incrementAndGet());
    }

    boolean loading() {
        return System.nanoTime() - startNanos < config.startupDelay().toNanos();
    }

    /** The answer's tokens (JSON-escaped) and its finish reason, per the request and the rules. */
    Answer plan(CompletionRequest request) {
        ResponseRules.Answer answer = rules.answer(request.lastUserMessage());
        int room = config.maxModelLen() - request.promptTokens();
        Integer maxTokens = request.maxTokens();
        String[] source = answer.builtIn()
                ? (answer.text() == ResponseRules.KOREAN ? korean : english)
                : escapedPieces(answer.text());
        int length;
        String finish;
        if (answer.builtIn() || (request.ignoreEos() && maxTokens != null)) {
            length = maxTokens != null ? maxTokens : Math.min(config.outputTokens().draw(random), room);
            finish = maxTokens != null ? "length" : "stop";
        } else {
            int limit = maxTokens != null ? maxTokens : room;
            length = Math.min(Math.max(source.length, 1), limit);
            finish = source.length > limit ? "length" : "stop";
        }
        if (source.length == 0) {
            source = new String[]{""};
        }
        String[] out = new String[length];
        for (int i = 0; i < length; i++) {
            out[i] = source[i % source.length];
        }
        return new Answer(out, finish);
    }

    record Answer(String[] pieces, String finishReason) {
    }

    private static String[] escapedPieces(String text) {
        List<String> pieces = Tokenizer.pieces(text);
        String[] out = new String[pieces.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = JsonText.escape(pieces.get(i));
        }
        return out;
    }
}
