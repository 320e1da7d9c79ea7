package io.chatbotctl.core;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.Collection;
import java.util.Iterator;
import java.util.stream.Collectors;

/**
 * The one way a user file's unknown field is rejected, in one shape: {@code FILE:LINE: PATH: unknown field (known: a, b)}.
 * Files bound to types use Jackson's own check ({@code FAIL_ON_UNKNOWN_PROPERTIES}) and {@link #of}; files read as
 * trees (for per-field messages) use {@link #reject}. The global mappers stay lenient: chatbotctl reads back its own
 * JSON output (reports, baselines, markers) written by older or newer versions.
 */
public final class UnknownFields {
    private UnknownFields() {
    }

    /** The first field of {@code node} that is not in {@code known}, or null. */
    public static String first(JsonNode node, Collection<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                return field;
            }
        }
        return null;
    }

    /** {@code unknown field (known: a, b)}, the known fields sorted. */
    public static String problem(Collection<?> known) {
        return "unknown field (known: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Fails on the first unknown field of {@code node}.
     *
     * @param where  the file, with {@code :LINE} when known
     * @param prefix the path of {@code node} with a trailing dot, or ""
     */
    public static void reject(JsonNode node, Collection<String> known, String where, String prefix, String hint) {
        String field = first(node, known);
        if (field != null) {
            throw new InvalidInputException(where + ": " + prefix + field + ": " + problem(known), hint);
        }
    }

    /** Jackson's own check failed: the same message, at the line Jackson read. */
    public static InvalidInputException of(String source, UnrecognizedPropertyException e, String hint) {
        var location = e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser
                ? parser.currentTokenLocation() : e.getLocation();
        String path = e.getPath().stream().map(UnknownFields::step).collect(Collectors.joining("."));
        return new InvalidInputException(source + (location == null ? "" : ":" + location.getLineNr()) + ": "
                + path.replace(".[", "[") + ": " + problem(e.getKnownPropertyIds()), hint);
    }

    private static String step(JsonMappingException.Reference reference) {
        return reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]";
    }
}
