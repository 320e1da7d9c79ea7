package io.chatbotctl.runbook;

import java.util.List;
import java.util.Map;

/**
 * One step of a runbook. Exactly one of {@code check}, {@code show}, {@code note} and {@code act} is set; it names
 * the built-in check, view or action (or, for a note, holds the text).
 *
 * @param id       how later conditions refer to this step's findings (checks only)
 * @param title    what the step does, in the transcript
 * @param with     parameters of the check or action, e.g. {@code {replicas: hpa-max}}
 * @param when     run only if, for every step id named, that check found one of the listed codes
 *                 ({@code any}: some problem, {@code none}: no problem)
 * @param unless   skip if, for some step id named, that check found one of the listed codes
 * @param resolves the problem codes this action fixes once done (decides the exit code)
 * @param stop     a note that ends the runbook when reached
 */
public record Step(
        String id,
        String title,
        String check,
        String show,
        String note,
        String act,
        Map<String, Object> with,
        Map<String, List<String>> when,
        Map<String, List<String>> unless,
        List<String> resolves,
        Boolean stop) {

    /** What a step does; JSON and text show the lower-case spelling. */
    public enum Kind {
        CHECK, SHOW, NOTE, ACT;

        @com.fasterxml.jackson.annotation.JsonValue
        @Override
        public String toString() {
            return io.chatbotctl.core.EnumLabels.lower(this);
        }
    }

    public Kind kind() {
        if (check != null) {
            return Kind.CHECK;
        }
        if (show != null) {
            return Kind.SHOW;
        }
        if (act != null) {
            return Kind.ACT;
        }
        return Kind.NOTE;
    }

    /** The built-in a check, show or act step runs. */
    public String target() {
        return switch (kind()) {
            case CHECK -> check;
            case SHOW -> show;
            case ACT -> act;
            case NOTE -> null;
        };
    }

    /** The title, else for a note its first sentence (shortened), else the kind and built-in. */
    public String label() {
        if (title != null) {
            return title;
        }
        if (kind() != Kind.NOTE) {
            return kind() + " " + target();
        }
        String text = note.strip();
        int end = text.indexOf(": ");
        int dot = text.indexOf(". ");
        int cut = Math.min(end < 0 ? text.length() : end, dot < 0 ? text.length() : dot);
        String first = text.substring(0, cut);
        return first.length() > 80 ? first.substring(0, 77) + "..." : first;
    }

    public Map<String, Object> params() {
        return with == null ? Map.of() : with;
    }

    public List<String> resolvedCodes() {
        return resolves == null ? List.of() : resolves;
    }

    public boolean stops() {
        return Boolean.TRUE.equals(stop);
    }
}
