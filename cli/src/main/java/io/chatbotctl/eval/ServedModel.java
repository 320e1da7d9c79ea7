package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Which model answers, as the server reports it in {@code GET /v1/models}, plus the {@code --model-revision} the user
 * gave: what a cached answer is tied to. vLLM's card (ModelCard in vllm/entrypoints/openai/protocol.py, filled by
 * show_available_models in serving_models.py) has {@code id} (the served model name), {@code root} (the {@code --model}
 * path), {@code parent} (the base model of a LoRA adapter), {@code max_model_len} and {@code owned_by}; its
 * {@code created} and {@code permission} are made anew for every request (the time of the request, a random id),
 * so they identify nothing there. A {@code created} that is the time of the request is therefore left out, and one
 * that is older (OpenAI's API gives the model's creation date) is kept.
 *
 * @param id          the served model id
 * @param root        what the server says the model was loaded from, or null
 * @param parent      the base model of an adapter, or null
 * @param maxModelLen the context length, or null
 * @param ownedBy     the owner the server reports, or null
 * @param created     the model's creation time (epoch seconds) when the server reports a fixed one, else null
 * @param revision    {@code --model-revision} (e.g. the weights' commit or S3 version), or null
 */
public record ServedModel(String id, String root, String parent, Integer maxModelLen, String ownedBy, Long created,
                          String revision) {
    /** A {@code created} this close to the local clock is taken to be the request's own time stamp (vLLM's). */
    static final Duration REQUEST_TIME = Duration.ofMinutes(5);

    /** The card of {@code modelId} among the server's cards, or null when the server does not list it. */
    static ServedModel find(List<JsonNode> cards, String modelId, String revision, Instant now) {
        for (JsonNode card : cards) {
            if (modelId.equals(card.path("id").asText(null))) {
                return of(card, revision, now);
            }
        }
        return null;
    }

    static ServedModel of(JsonNode card, String revision, Instant now) {
        Long created = card.path("created").canConvertToLong() ? card.path("created").asLong() : null;
        if (created != null && Math.abs(now.getEpochSecond() - created) <= REQUEST_TIME.toSeconds()) {
            created = null;
        }
        return new ServedModel(card.path("id").asText(), text(card, "root"), text(card, "parent"),
                card.path("max_model_len").canConvertToInt() ? card.path("max_model_len").asInt() : null,
                text(card, "owned_by"), created, revision);
    }

    /** Every field in a fixed order: part of each cache key. */
    String identity() {
        return "id=" + id + "\nroot=" + root + "\nparent=" + parent + "\nmax_model_len=" + maxModelLen
                + "\nowned_by=" + ownedBy + "\ncreated=" + created + "\nrevision=" + Objects.toString(revision, "");
    }

    private static String text(JsonNode card, String field) {
        JsonNode v = card.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}
