package io.chatbotctl.eval;

import io.chatbotctl.openai.OpenAiClient;
import io.chatbotctl.openai.OpenAiException;

import java.util.List;

/** The {@code similar} assertion: cosine similarity of the answer and the expected text through {@code /v1/embeddings}. */
public final class Embedder {
    static final double DEFAULT_THRESHOLD = 0.8;

    private final OpenAiClient client;
    private final String model;
    private final Retrier retrier;

    public Embedder(OpenAiClient client, String model, Retrier retrier) {
        this.client = client;
        this.model = model;
        this.retrier = retrier;
    }

    AssertionResult similar(AssertionSpec spec, String expected, String output) {
        List<double[]> vectors;
        try {
            vectors = retrier.call(() -> client.embeddings(model, List.of(output, expected)));
        } catch (OpenAiException e) {
            String why = e.kind() == OpenAiException.Kind.HTTP_STATUS && e.status() == 404
                    ? "the endpoint offers no /v1/embeddings" : e.getMessage();
            return AssertionResult.error(spec, "no embeddings: " + why);
        }
        if (vectors.get(0).length != vectors.get(1).length) {
            return AssertionResult.error(spec, "embeddings of different lengths: " + vectors.get(0).length + " and "
                    + vectors.get(1).length);
        }
        double cosine = cosine(vectors.get(0), vectors.get(1));
        double threshold = spec.threshold() == null ? DEFAULT_THRESHOLD : spec.threshold();
        return AssertionResult.of(spec, cosine >= threshold, Math.max(0, cosine),
                "cosine " + Judge.round(cosine) + (cosine >= threshold ? " >= " : " < ") + threshold);
    }

    static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
